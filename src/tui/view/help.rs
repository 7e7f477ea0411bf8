//! The help overlay: every key, generated from the keymap table itself.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Clear, Widget};

use super::pane_frame;
use crate::domain::width::{Ambiguous, str_width};
use crate::tui::keymap::NORMAL;
use crate::tui::paint::{clear_popup_edges, paint_line};
use crate::tui::state::State;

/// The lines of the help, for the overlay and for tests.
pub fn lines(mode: Ambiguous) -> Vec<String> {
    // Pad by display width, not chars: key names mix ASCII, arrows and Chinese.
    let row =
        |keys: &str, what: &str| format!("{keys}{}{what}", " ".repeat(18usize.saturating_sub(str_width(keys, mode))));
    let mut out: Vec<String> =
        NORMAL.iter().map(|b| row(&b.keys.iter().map(|k| k.label()).collect::<Vec<_>>().join(" "), b.help)).collect();
    out.push(row("鼠标滚轮 wheel", "滚动  scroll the pane under the mouse"));
    out.push(row("鼠标点击 click", "选择并打开  select and open"));
    out.push(String::new());
    out.push("搜索中: Enter 确定, Esc 取消, Ctrl-W 删词  while typing a search".into());
    out
}

pub fn draw(buf: &mut Buffer, screen: Rect, state: &State, scroll: u16) {
    let mode = state.settings.mode;
    let lines = lines(mode);
    let want_w = lines.iter().map(|l| str_width(l, mode)).max().unwrap_or(0) as u16 + 4;
    let w = want_w.min(screen.width.saturating_sub(2)).max(10.min(screen.width));
    let h = (lines.len() as u16 + 2).min(screen.height.saturating_sub(2)).max(3.min(screen.height));
    let area = Rect::new(screen.x + (screen.width - w) / 2, screen.y + (screen.height - h) / 2, w, h);
    clear_popup_edges(buf, area);
    Clear.render(area, buf);
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
