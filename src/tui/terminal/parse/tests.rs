use super::*;

fn all(bytes: &[u8]) -> Vec<Parsed> {
    let mut p = Parser::new();
    let t = Instant::now();
    p.feed(bytes, t);
    p.flush_if_due(t + ESC_GRACE);
    std::iter::from_fn(|| p.take()).collect()
}

fn k(code: KeyCode, m: KeyModifiers) -> Parsed {
    Parsed::Event(Event::Key(KeyEvent::new(code, m)))
}

fn ch(c: char) -> Parsed {
    let m = if c.is_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
    k(KeyCode::Char(c), m)
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const ALT: KeyModifiers = KeyModifiers::ALT;

#[test]
fn plain_keys_and_controls_as_crossterm_reads_them() {
    assert_eq!(all(b"aZ"), [ch('a'), ch('Z')]);
    assert_eq!(all(b"\r\t\x7f"), [k(KeyCode::Enter, NONE), k(KeyCode::Tab, NONE), k(KeyCode::Backspace, NONE)]);
    assert_eq!(
        all(b"\x03\x0a\x00"),
        [k(KeyCode::Char('c'), CTRL), k(KeyCode::Char('j'), CTRL), k(KeyCode::Char(' '), CTRL)]
    );
    assert_eq!(all("文".as_bytes()), [ch('文')]);
    assert_eq!(all(b"\x1bx"), [k(KeyCode::Char('x'), ALT)]);
    // Esc right before Ctrl-C: two keys, and the Ctrl-C is still one.
    assert_eq!(all(b"\x1b\x03"), [k(KeyCode::Esc, NONE), k(KeyCode::Char('c'), CTRL)]);
    let mut p = Parser::new();
    p.feed(&[b"j".repeat(100).as_slice(), b"\x1b\x03"].concat(), Instant::now());
    assert!(p.take_interrupt().is_some(), "Ctrl-C after Esc is taken first");
}

#[test]
fn escape_sequences() {
    assert_eq!(all(b"\x1b[A\x1bOB\x1b[1;5C"), [k(KeyCode::Up, NONE), k(KeyCode::Down, NONE), k(KeyCode::Right, CTRL)]);
    assert_eq!(
        all(b"\x1b[5~\x1b[6~\x1b[3~\x1b[Z"),
        [
            k(KeyCode::PageUp, NONE),
            k(KeyCode::PageDown, NONE),
            k(KeyCode::Delete, NONE),
            k(KeyCode::BackTab, KeyModifiers::SHIFT)
        ]
    );
    assert_eq!(all(b"\x1bOP\x1b[15~"), [k(KeyCode::F(1), NONE), k(KeyCode::F(5), NONE)]);
    // Device attributes and unknown sequences are not keys.
    assert_eq!(all(b"\x1b[?62;22c\x1b[>1;2m\x1b[I"), []);
}

#[test]
fn mouse_reports() {
    let wheel = |kind, column, row| Parsed::Event(Event::Mouse(MouseEvent { kind, column, row, modifiers: NONE }));
    assert_eq!(all(b"\x1b[<65;10;5M"), [wheel(MouseEventKind::ScrollDown, 9, 4)]);
    assert_eq!(
        all(b"\x1b[<0;1;1M\x1b[<0;1;1m"),
        [wheel(MouseEventKind::Down(MouseButton::Left), 0, 0), wheel(MouseEventKind::Up(MouseButton::Left), 0, 0)]
    );
    assert_eq!(all(b"\x1b[M`!!"), [wheel(MouseEventKind::ScrollUp, 0, 0)]);
}

#[test]
fn cursor_reports_are_replies_not_keys() {
    assert_eq!(all(b"\x1b[30;2R"), [Parsed::CursorPosition(1, 29)]);
}

#[test]
fn a_lone_escape_waits_for_its_grace_then_is_esc() {
    let mut p = Parser::new();
    let t = Instant::now();
    p.feed(b"\x1b", t);
    assert_eq!(p.take(), None);
    assert_eq!(p.flush_at(), Some(t + ESC_GRACE));
    p.flush_if_due(t + ESC_GRACE / 2);
    assert_eq!(p.take(), None);
    // The rest of an arrow key split by a slow link, within the grace.
    p.feed(b"[A", t + ESC_GRACE / 2);
    assert_eq!(p.take(), Some(k(KeyCode::Up, NONE)));
    p.feed(b"\x1b", t);
    p.flush_if_due(t + ESC_GRACE);
    assert_eq!(p.take(), Some(k(KeyCode::Esc, NONE)));
    assert_eq!(p.flush_at(), None);
}

#[test]
fn alt_bracket_then_question_mark_or_less_than_never_swallows_keys() {
    for second in [b'?', b'<'] {
        let mut p = Parser::new();
        let t = Instant::now();
        p.feed(&[0x1b, b'[', second], t);
        // Typed later: the incomplete "sequence" has long been taken as keys.
        p.flush_if_due(t + ESC_GRACE);
        p.feed(b"q", t + Duration::from_secs(1));
        let got: Vec<Parsed> = std::iter::from_fn(|| p.take()).collect();
        assert_eq!(got, [k(KeyCode::Char('['), ALT), ch(second as char), ch('q')]);
    }
    // Ctrl-C inside an incomplete sequence ends it at once.
    assert_eq!(
        all(b"\x1b[?1;\x03"),
        [k(KeyCode::Char('['), ALT), ch('?'), ch('1'), ch(';'), k(KeyCode::Char('c'), CTRL)]
    );
}

#[test]
fn a_split_reply_is_waited_for_while_one_is_expected() {
    let mut p = Parser::new();
    let t = Instant::now();
    p.expect_reply_until(t + Duration::from_secs(2));
    p.feed(b"\x1b", t);
    p.flush_if_due(t + Duration::from_millis(300));
    assert_eq!(p.take(), None, "held: the reply may be split");
    p.feed(b"[30;2R", t + Duration::from_millis(300));
    assert_eq!(p.take_cursor_position(), Some((1, 29)));
    assert_eq!(p.take(), None, "nothing of the reply is a key");
    // Once the reply came, a lone Esc is a key again after the usual grace.
    p.feed(b"\x1b", t + Duration::from_secs(1));
    p.flush_if_due(t + Duration::from_secs(1) + ESC_GRACE);
    assert_eq!(p.take(), Some(k(KeyCode::Esc, NONE)));
}

#[test]
fn keys_typed_around_a_reply_stay_in_order() {
    let mut p = Parser::new();
    p.feed(b"j\x1b[5;2Rk", Instant::now());
    assert_eq!(p.take_cursor_position(), Some((1, 4)));
    assert_eq!(p.take(), Some(ch('j')));
    assert_eq!(p.take(), Some(ch('k')));
}

#[test]
fn ctrl_c_is_taken_before_a_burst_of_keys() {
    let mut p = Parser::new();
    let mut burst = vec![b'j'; 3000];
    burst.push(0x03);
    p.feed(&burst, Instant::now());
    assert_eq!(p.queued(), 3001);
    assert_eq!(p.take_interrupt(), Some(Event::Key(KeyEvent::new(KeyCode::Char('c'), CTRL))));
    assert_eq!(p.take_interrupt(), None);
}

#[test]
fn bytes_split_anywhere_give_the_same_events() {
    let input: &[u8] = "a\x1b[A文\x1b[<64;3;4M\x1bOP\x1b[1;5D".as_bytes();
    same_when_split(input, &all(input));
}

/// Fed in two reads, cut at every byte, `input` gives `want`.
fn same_when_split(input: &[u8], want: &[Parsed]) {
    for cut in 1..input.len() {
        let mut p = Parser::new();
        let t = Instant::now();
        p.feed(&input[..cut], t);
        p.feed(&input[cut..], t);
        let got: Vec<Parsed> = std::iter::from_fn(|| p.take()).collect();
        assert_eq!(got, want, "cut at {cut}");
    }
}

#[test]
fn garbage_never_panics_and_never_holds_more_than_a_sequence() {
    let mut p = Parser::new();
    let t = Instant::now();
    let mut x: u32 = 12345;
    for _ in 0..20_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        p.feed(&[(x >> 16) as u8], t);
        assert!(p.pending.len() <= MAX_SEQUENCE + 1);
    }
    p.flush_if_due(t + ESC_GRACE);
    while p.take().is_some() {}
}

#[test]
fn a_bracketed_paste_is_one_event_even_split_and_with_controls_inside() {
    let paste = |s: &str| Parsed::Event(Event::Paste(s.to_string()));
    assert_eq!(all(b"a\x1b[200~b s\r\x03q\x1b[201~c"), [ch('a'), paste("b s\r\x03q"), ch('c')]);
    same_when_split(b"\x1b[200~\xe7\x92\xa7\xe5\xb1\xb1\x1b[201~j", &[paste("璧山"), ch('j')]);
}

#[test]
fn a_paste_whose_end_never_comes_ends_when_input_stops() {
    let mut p = Parser::new();
    let t = Instant::now();
    p.feed(b"\x1b[200~abc", t);
    assert_eq!(p.take(), None);
    assert_eq!(p.flush_at(), Some(t + PASTE_IDLE));
    p.flush_if_due(t + PASTE_IDLE);
    assert_eq!(p.take(), Some(Parsed::Event(Event::Paste("abc".into()))));
    p.feed(b"q", t + PASTE_IDLE);
    assert_eq!(p.take(), Some(ch('q')), "keys again after it");
}
