//! Styles. The default theme uses only the eight basic ANSI colours, on the terminal's own
//! foreground and background, so it reads on dark and light screens and in 16-colour terminals.
//! `mono` (chosen by NO_COLOR) uses bold, reverse and underline only.

use ratatui::style::{Color, Modifier, Style};

use crate::domain::page::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub mono: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme { mono: no_color() || mono_terminal(std::env::var("TERM").ok().as_deref()) }
    }
}

/// Terminals that show no colour (or that users chose as monochrome) get the mono theme.
pub fn mono_terminal(term: Option<&str>) -> bool {
    match term {
        None => false,
        Some(t) => {
            matches!(t, "dumb" | "vt100" | "vt102" | "vt220" | "ansi-mono") || t.ends_with("-mono") || t.ends_with("-m")
        }
    }
}

/// NO_COLOR (https://no-color.org): set and not empty.
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.mono { Style::new() } else { Style::new().fg(c) }
    }

    pub fn text(&self, kind: Kind) -> Style {
        match kind {
            Kind::Title => Style::new().add_modifier(Modifier::BOLD),
            Kind::Kicker | Kind::Subtitle => self.fg(Color::Cyan),
            Kind::Meta => self.fg(Color::Cyan).add_modifier(Modifier::DIM),
            Kind::Picture => self.fg(Color::Magenta).add_modifier(Modifier::ITALIC),
            Kind::Body | Kind::Blank => Style::new(),
        }
    }

    /// The selected row: reversed when its pane has focus, underlined otherwise.
    pub fn selected(&self, focused: bool) -> Style {
        if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        }
    }

    pub fn section(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn date(&self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused { self.fg(Color::Cyan).add_modifier(Modifier::BOLD) } else { self.dim() }
    }

    pub fn bar(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn error(&self) -> Style {
        if self.mono { self.bar().add_modifier(Modifier::BOLD) } else { Style::new().fg(Color::White).bg(Color::Red) }
    }

    /// Every search match; the current one stands out more.
    pub fn found(&self, current: bool) -> Style {
        match (self.mono, current) {
            (true, false) => Style::new().add_modifier(Modifier::UNDERLINED),
            (true, true) => Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED),
            (false, false) => Style::new().fg(Color::Black).bg(Color::Yellow),
            (false, true) => {
                Style::new().fg(Color::Black).bg(Color::Yellow).add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
            }
        }
    }
}
