use super::*;

const N: Ambiguous = Ambiguous::Narrow;

/// An editor with `text` and the cursor at `|` in it.
fn at(marked: &str) -> LineEditor {
    let cursor = marked.find('|').expect("a | marks the cursor");
    LineEditor { text: marked.replacen('|', "", 1), cursor }
}

/// The text with `|` at the cursor.
fn shown(e: &LineEditor) -> String {
    format!("{}|{}", &e.text[..e.cursor], &e.text[e.cursor..])
}

fn edit(marked: &str, action: Action) -> String {
    let mut e = at(marked);
    assert!(e.apply(&action).is_some(), "{action:?} is an editing action");
    shown(&e)
}

#[test]
fn typing_inserts_at_the_cursor() {
    assert_eq!(edit("ab|c", Action::Input('中')), "ab中|c");
    assert_eq!(edit("ab|", Action::Input('\u{1b}')), "ab|", "control characters are never text");
    let mut e = LineEditor::from("qx");
    assert_eq!(shown(&e), "qx|");
    assert_eq!(e.apply(&Action::Input('y')), Some(true));
    assert_eq!(e.apply(&Action::Edit(Edit::Left)), Some(false), "a move changes no text");
    assert_eq!(e.apply(&Action::Open), None, "not an editing action");
}

#[test]
fn cursor_moves_by_grapheme() {
    assert_eq!(edit("重庆|", Action::Edit(Edit::Left)), "重|庆");
    assert_eq!(edit("|重庆", Action::Edit(Edit::Left)), "|重庆", "stops at the start");
    assert_eq!(edit("重|庆", Action::Edit(Edit::Right)), "重庆|");
    assert_eq!(edit("重庆|", Action::Edit(Edit::Right)), "重庆|", "stops at the end");
    // e + combining acute, and a flag: one step each.
    assert_eq!(edit("ae\u{301}|", Action::Edit(Edit::Left)), "a|e\u{301}");
    assert_eq!(edit("|🇨🇳x", Action::Edit(Edit::Right)), "🇨🇳|x");
    assert_eq!(edit("a重|庆b", Action::Edit(Edit::Home)), "|a重庆b");
    assert_eq!(edit("a重|庆b", Action::Edit(Edit::End)), "a重庆b|");
}

#[test]
fn backspace_and_delete_take_one_grapheme() {
    assert_eq!(edit("重庆|市", Action::DeleteChar), "重|市");
    assert_eq!(edit("|重庆", Action::DeleteChar), "|重庆");
    assert_eq!(edit("ae\u{301}|", Action::DeleteChar), "a|");
    assert_eq!(edit("重|庆市", Action::Edit(Edit::Delete)), "重|市");
    assert_eq!(edit("重庆|", Action::Edit(Edit::Delete)), "重庆|");
}

#[test]
fn kills_to_either_end() {
    assert_eq!(edit("渝中 工会|会议", Action::Edit(Edit::KillToStart)), "|会议");
    assert_eq!(edit("渝中 工会|会议", Action::Edit(Edit::KillToEnd)), "渝中 工会|");
    let mut e = at("|");
    assert_eq!(e.apply(&Action::Edit(Edit::KillToStart)), Some(false), "nothing to kill, nothing else happens");
}

#[test]
fn ctrl_w_deletes_back_to_a_space() {
    assert_eq!(edit("@渝中 工会|", Action::DeleteWord), "@渝中 |");
    assert_eq!(edit("@渝中 工会  |", Action::DeleteWord), "@渝中 |", "trailing spaces go with the word");
    assert_eq!(edit("@渝中 工|会", Action::DeleteWord), "@渝中 |会");
    assert_eq!(edit("a-b.c|", Action::DeleteWord), "|", "punctuation is part of a space-delimited word");
}

#[test]
fn alt_b_and_alt_f_move_by_word() {
    assert_eq!(edit("foo bar|", Action::Edit(Edit::WordLeft)), "foo |bar");
    assert_eq!(edit("foo bar |", Action::Edit(Edit::WordLeft)), "foo |bar ");
    assert_eq!(edit("foo-ba|r", Action::Edit(Edit::WordLeft)), "foo-|bar");
    assert_eq!(edit("|foo bar", Action::Edit(Edit::WordRight)), "foo| bar");
    assert_eq!(edit("foo| bar", Action::Edit(Edit::WordRight)), "foo bar|");
    assert_eq!(edit("@渝中|，工会", Action::Edit(Edit::WordRight)), "@渝中，工会|");
    assert_eq!(edit("|@渝中，工会", Action::Edit(Edit::WordRight)), "@渝中|，工会");
}

#[test]
fn a_paste_goes_in_whole_without_line_breaks_or_controls() {
    let pasted = Action::Paste("渝中区\n工会\u{1b}[31m\t简报".into());
    assert_eq!(edit("@|", pasted), "@渝中区工会[31m简报|");
    let mut e = LineEditor::default();
    assert_eq!(e.apply(&Action::Paste("\n\r".into())), Some(false));
}

#[test]
fn the_cursor_column_counts_wide_characters() {
    let e = at("重庆|ab");
    assert_eq!(e.cursor_column(N), 4);
    assert_eq!(e.window(10, N), ("重庆ab", 4));
    // Too long for the room: the start scrolls off, whole characters at a time.
    let e = at("重庆市渝中区|");
    assert_eq!(e.window(7, N), ("渝中区", 6));
    let e = at("重庆市渝中区|");
    assert_eq!(e.window(13, N), ("重庆市渝中区", 12));
    let e = at("°§|");
    assert_eq!(e.cursor_column(Ambiguous::Wide), 4, "ambiguous characters count as the terminal draws them");
}

#[test]
fn history_steps_back_and_restores_the_draft() {
    let mut h = History::default();
    for line in ["工会", "", "工会", "渝中"] {
        h.push(line);
    }
    let mut e = LineEditor::from("草稿");
    assert!(h.step(&mut e, -1));
    assert_eq!(shown(&e), "渝中|");
    assert!(h.step(&mut e, -1));
    assert_eq!(&*e, "工会", "empty and repeated lines are not kept");
    assert!(!h.step(&mut e, -1), "no older line");
    assert_eq!(&*e, "工会");
    assert!(h.step(&mut e, 1));
    assert!(h.step(&mut e, 1));
    assert_eq!(&*e, "草稿", "past the newest: the line being typed");
    assert!(!h.step(&mut e, 1));
    assert!(!History::default().step(&mut e, -1), "an empty history does nothing");
}
