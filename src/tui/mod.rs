//! The terminal shell: state -> action -> update -> view. Nothing here decides what a bulletin
//! says; it shows what the core laid out.

pub mod action;
pub mod keymap;
pub mod state;
pub mod theme;
pub mod update;
