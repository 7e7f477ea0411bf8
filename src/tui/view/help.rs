//! The help overlay: every key, generated from the keymap table itself.

use super::{pane_frame, popup};
use crate::domain::width::{Ambiguous, str_width};
use crate::tui::keymap::{BINDINGS, Keymap};
use crate::tui::paint::paint_line;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

/// The lines of the help, for the overlay and for tests.
pub fn lines(keymap: &Keymap, mode: Ambiguous) -> Vec<String> {
    // Pad by display width, not chars: key names mix ASCII, arrows and Chinese.
    let row =
        |keys: &str, what: &str| format!("{keys}{}{what}", " ".repeat(18usize.saturating_sub(str_width(keys, mode))));
    // The keys as bound now (config overrides included), in the table's order.
    let mut out: Vec<String> = BINDINGS
        .iter()
        .filter_map(|b| {
            let keys = keymap.keys_for(&b.action);
            (!keys.is_empty()).then(|| row(&keys.iter().map(|k| k.label()).collect::<Vec<_>>().join(" "), b.help))
        })
        .collect();
    out.push(row("鼠标滚轮 wheel", "滚动  scroll the pane under the mouse"));
    out.push(row("鼠标点击 click", "选择并打开  select and open"));
    out.push(String::new());
    out.push("搜索中: Enter 确定, Esc 取消, Ctrl-W 删词  while typing a search".into());
    out.push("期刊栏: * 未读 unread   + 书签 bookmarked   [自] 你添加的 yours".into());
    out
}

pub fn draw(buf: &mut Buffer, screen: Rect, state: &State, scroll: u16) {
    let mode = state.settings.mode;
    let lines = lines(&state.keymap, mode);
    let want_w = lines.iter().map(|l| str_width(l, mode)).max().unwrap_or(0) as u16 + 4;
    let area = popup(buf, screen, want_w, lines.len() as u16 + 2);
    let (w, h) = (area.width, area.height);
    pane_frame(buf, area, state, "帮助 Help · Esc 关闭", true);
    let inner_h = usize::from(h.saturating_sub(2));
    let scroll = usize::from(scroll).min(lines.len().saturating_sub(inner_h));
    for (i, line) in lines.iter().skip(scroll).take(inner_h).enumerate() {
        paint_line(buf, area.x + 2, area.y + 1 + i as u16, w.saturating_sub(4), line, Style::new(), mode);
    }
    if scroll + inner_h < lines.len() && w > 20 {
        let more = " j/↓ 更多 more ";
        let mw = str_width(more, mode) as u16;
        paint_line(
            buf,
            area.right().saturating_sub(mw + 2),
            area.bottom() - 1,
            mw,
            more,
            state.settings.theme.border(true),
            mode,
        );
    }
}
