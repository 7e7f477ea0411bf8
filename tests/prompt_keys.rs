//! Every editing key, pressed as a key event (through the keymap, as the terminal delivers it),
//! in both prompts: the finder's query and `/` in an article. Each starts from `ab c|d` (cursor
//! before `d`) and must leave the prompt open; Ctrl-U in particular empties the line and the
//! letters typed next are text, not commands.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use kanbao::domain::load::{LoadOptions, load};
use kanbao::domain::width::{Ambiguous, str_width};
use kanbao::tui::action::Action;
use kanbao::tui::action_for;
use kanbao::tui::state::{Overlay, Settings, State};
use kanbao::tui::update::update;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Prompt {
    Finder,
    Search,
}

fn state(prompt: Prompt) -> State {
    let (corpus, _) = load(&[], None, LoadOptions { bundled: true, ..Default::default() });
    let mut s = State::new(corpus, Settings::default(), (100, 30));
    update(&mut s, Action::Resize(100, 30));
    let open: &[Action] = match prompt {
        Prompt::Finder => &[Action::Finder],
        Prompt::Search => &[Action::Down, Action::Open, Action::Search],
    };
    for a in open {
        update(&mut s, a.clone());
    }
    for c in "ab cd".chars() {
        press(&mut s, KeyCode::Char(c), KeyModifiers::NONE);
    }
    press(&mut s, KeyCode::Left, KeyModifiers::NONE);
    s
}

/// One key as the terminal sends it; returns whether it asked to quit.
fn press(s: &mut State, code: KeyCode, mods: KeyModifiers) -> bool {
    let Some(action) = action_for(s, Event::Key(KeyEvent::new(code, mods))) else { return false };
    let quit = action == Action::Quit;
    update(s, action);
    quit
}

/// The prompt's line with `|` at the cursor; `None` when the prompt is closed.
fn line(s: &State, prompt: Prompt) -> Option<String> {
    let editor = match (&s.overlay, prompt) {
        (Overlay::Finder(ui), Prompt::Finder) => &ui.query,
        (Overlay::Search { input }, Prompt::Search) => input,
        _ => return None,
    };
    let text: &str = editor;
    // The cursor's column in cells, back to a byte offset (璧 is two cells).
    let column = editor.cursor_column(Ambiguous::Narrow);
    let mut cells = 0;
    let at = text
        .char_indices()
        .find(|&(_, c)| {
            let here = cells;
            cells += str_width(c.encode_utf8(&mut [0; 4]), Ambiguous::Narrow);
            here >= column
        })
        .map_or(text.len(), |(i, _)| i);
    Some(format!("{}|{}", &text[..at], &text[at..]))
}

#[test]
fn every_editing_key_in_both_prompts() {
    let (none, ctrl, alt) = (KeyModifiers::NONE, KeyModifiers::CONTROL, KeyModifiers::ALT);
    // (key, modifiers, after in the finder, after in `/`)
    let cases: &[(KeyCode, KeyModifiers, &str, &str)] = &[
        (KeyCode::Char('a'), ctrl, "|ab cd", "|ab cd"),
        (KeyCode::Home, none, "|ab cd", "|ab cd"),
        (KeyCode::Char('e'), ctrl, "ab cd|", "ab cd|"),
        (KeyCode::End, none, "ab cd|", "ab cd|"),
        (KeyCode::Left, none, "ab |cd", "ab |cd"),
        (KeyCode::Char('b'), ctrl, "ab |cd", "ab |cd"),
        (KeyCode::Right, none, "ab cd|", "ab cd|"),
        (KeyCode::Char('f'), ctrl, "ab cd|", "ab cd|"),
        (KeyCode::Char('b'), alt, "ab |cd", "ab |cd"),
        (KeyCode::Char('f'), alt, "ab cd|", "ab cd|"),
        (KeyCode::Char('u'), ctrl, "|d", "|d"),
        // The finder keeps fzf's Ctrl-K (selection up); `/` kills to the end.
        (KeyCode::Char('k'), ctrl, "ab c|d", "ab c|"),
        (KeyCode::Char('w'), ctrl, "ab |d", "ab |d"),
        (KeyCode::Backspace, alt, "ab |d", "ab |d"),
        (KeyCode::Backspace, none, "ab |d", "ab |d"),
        (KeyCode::Char('h'), ctrl, "ab |d", "ab |d"),
        (KeyCode::Delete, none, "ab c|", "ab c|"),
        (KeyCode::Char('x'), none, "ab cx|d", "ab cx|d"),
        (KeyCode::Char('璧'), none, "ab c璧|d", "ab c璧|d"),
    ];
    let mut failures = Vec::new();
    for prompt in [Prompt::Finder, Prompt::Search] {
        for &(code, mods, in_finder, in_search) in cases {
            let mut s = state(prompt);
            assert_eq!(line(&s, prompt).as_deref(), Some("ab c|d"), "{prompt:?}: set-up");
            let quit = press(&mut s, code, mods);
            let want = if prompt == Prompt::Finder { in_finder } else { in_search };
            let got = line(&s, prompt);
            if quit || got.as_deref() != Some(want) {
                failures.push(format!("{prompt:?} {mods:?}+{code:?}: got {got:?} (quit: {quit}), want {want:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The report: Ctrl-U closed the prompt and `bsq` typed next quit the reader.
#[test]
fn ctrl_u_never_leaves_the_prompt() {
    for prompt in [Prompt::Finder, Prompt::Search] {
        let mut s = state(prompt);
        for _ in 0..3 {
            assert!(!press(&mut s, KeyCode::Char('u'), KeyModifiers::CONTROL));
            assert_eq!(line(&s, prompt).as_deref(), Some("|d"), "{prompt:?}");
        }
        press(&mut s, KeyCode::End, KeyModifiers::NONE);
        press(&mut s, KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(line(&s, prompt).as_deref(), Some("|"), "{prompt:?}: emptied, still open");
        for c in "bsq".chars() {
            assert!(!press(&mut s, KeyCode::Char(c), KeyModifiers::NONE), "{prompt:?}: {c} is text");
        }
        assert_eq!(line(&s, prompt).as_deref(), Some("bsq|"), "{prompt:?}");
    }
}
