//! The finder overlay: query line, ranked results with matched characters lit, a live preview
//! of the selected article; and the district view.

use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use ratatui::style::Style;

use super::{clear_popup, pane_frame};
use crate::domain::width::{Ambiguous, str_width, truncate};
use crate::tui::list::ListState;
use crate::tui::paint::{paint_cell, paint_line, paint_spans};
use crate::tui::state::{FINDER_LIMIT, FindUi, State};

pub fn draw(buf: &mut Buffer, state: &State, ui: &FindUi) {
    let mode = state.settings.mode;
    let theme = &state.settings.theme;
    let title = "查找 Find · 标题 区县 拼音 · Enter 打开 · Esc 返回";
    let l = super::search_overlay(buf, state, title, &ui.query, &count(state, ui));

    // `update` keeps the hits and the finder together (see `finder::revalidate`); a view draws
    // what it is given and never panics, so a hit without an entry is left out.
    for (i, hit) in ui.hits.iter().enumerate().skip(ui.list.top).take(usize::from(l.list.height)) {
        let y = l.list.y + (i - ui.list.top) as u16;
        let Some(entry) = state.finder_built.as_ref().and_then(|f| f.finder.get(hit.index)) else { continue };
        let base = if i == ui.list.selected { theme.selected(true) } else { Style::new() };
        paint_cell(buf, l.list.x, y, l.list.width, "", base, mode);
        let date = entry.date.map_or("-------".to_string(), |(y, m)| format!("{y}-{m:02}"));
        // The title, its matched characters lit (char indices from the finder).
        let chars: Vec<char> = entry.title.chars().collect();
        let mut spans: Vec<(String, Style)> = vec![(format!("{date} "), base.patch(theme.date()))];
        for (j, c) in chars.iter().enumerate() {
            let style = if hit.title_matches.binary_search(&j).is_ok() { base.patch(theme.found(false)) } else { base };
            match spans.last_mut() {
                Some((text, s)) if *s == style && j > 0 => text.push(*c),
                _ => spans.push((c.to_string(), style)),
            }
        }
        // The districts, those a term matched there (and not in the title) lit.
        for (k, d) in entry.districts().enumerate() {
            let lead = if k == 0 { "  [" } else { " " };
            spans.push((lead.to_string(), base.patch(theme.dim())));
            let lit = hit.district_matches.contains(&k);
            spans.push((d.to_string(), if lit { base.patch(theme.found(false)) } else { base.patch(theme.dim()) }));
        }
        if entry.districts().len() > 0 {
            spans.push(("]".to_string(), base.patch(theme.dim())));
        }
        let width = l.list.width.saturating_sub(1);
        let spans = fit_spans(spans, usize::from(width), mode);
        let spans: Vec<(&str, Style)> = spans.iter().map(|(t, s)| (t.as_str(), *s)).collect();
        paint_spans(buf, l.list.x + 1, y, width, &spans, mode);
    }
    if ui.hits.is_empty() {
        paint_line(buf, l.list.x + 1, l.list.y, l.list.width, "没有匹配  nothing matches", theme.dim(), mode);
    }

    for (i, row) in ui.preview.iter().enumerate().take(usize::from(l.preview.height)) {
        paint_line(buf, l.preview.x, l.preview.y + i as u16, l.preview.width, &row.text, theme.text(row.kind), mode);
    }
}

/// Spans cut to `width` cells, ending in "…" when anything was cut.
fn fit_spans(spans: Vec<(String, Style)>, width: usize, mode: Ambiguous) -> Vec<(String, Style)> {
    if spans.iter().map(|(t, _)| str_width(t, mode)).sum::<usize>() <= width {
        return spans;
    }
    let ellipsis = str_width("…", mode);
    let mut budget = width.saturating_sub(ellipsis);
    let mut out = Vec::new();
    for (text, style) in spans {
        let w = str_width(&text, mode);
        if w <= budget {
            budget -= w;
            out.push((text, style));
            continue;
        }
        // `truncate` ends what it cuts with "…"; leave it room unless the text already
        // overflows the ellipsis' cells too.
        let room = if w > budget + ellipsis { budget + ellipsis } else { budget };
        out.push((truncate(&text, room, mode), style));
        break;
    }
    out
}

/// "shown/total" results, with a + when the list stops at its limit.
fn count(state: &State, ui: &FindUi) -> String {
    let total = state.finder_built.as_ref().map_or(0, |f| f.finder.len());
    let shown = ui.hits.len();
    if shown >= FINDER_LIMIT { format!("{shown}+/{total}") } else { format!("{shown}/{total}") }
}

/// The terminal cursor at the query's cursor, so input methods open their window there.
pub fn cursor(state: &State, ui: &FindUi) -> Option<Position> {
    super::search_cursor(state, &ui.query, &count(state, ui))
}

pub fn draw_districts(buf: &mut Buffer, state: &State, at: ListState) {
    let mode = state.settings.mode;
    let list = &state.districts;
    let area = clear_popup(buf, state.districts_area());
    pane_frame(buf, area, state, "区县 Districts · Enter 列出文章", true);
    let h = usize::from(area.height.saturating_sub(2));
    let (top, selected) = (at.top, at.selected);
    for (i, (name, n)) in list.iter().enumerate().skip(top).take(h) {
        let style = if i == selected { state.settings.theme.selected(true) } else { Style::new() };
        let line = format!(" {}  {n}篇", truncate(name, 30, mode));
        paint_cell(buf, area.x + 1, area.y + 1 + (i - top) as u16, area.width.saturating_sub(2), &line, style, mode);
    }
}
