//! Copy through the terminal (OSC 52): the text travels over SSH to the user's own clipboard.
//! The payload is base64, so nothing in it can act as a control sequence.
//!
//! Inside tmux an application's OSC 52 is dropped unless the user set `set-clipboard on`
//! (the default, `external`, takes it from tmux's own copy mode only). So there the text goes
//! through tmux itself: `tmux load-buffer -w -` puts it in tmux's paste buffer (prefix `]`)
//! and, `-w`, on to the outer terminal's clipboard by tmux's own OSC 52 when `set-clipboard` is
//! not `off`. The message then says what really happened; nothing claims a copy that nobody took.

use std::io::Write;
use std::process::{Command, Stdio};

/// Where a copy went, for an honest message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Copied {
    /// OSC 52 sent to the terminal: whether it takes it cannot be known.
    Terminal,
    /// Into tmux's paste buffer, and the clipboard when tmux passes it on.
    Tmux { clipboard: bool },
    /// tmux would not take it (too old for `load-buffer -w`, or not reachable); OSC 52 was sent
    /// through tmux's passthrough, which tmux 3.3+ drops unless `allow-passthrough` is on.
    TmuxRefused(String),
}

impl Copied {
    /// The status line's words for copying `n` characters.
    pub fn message(&self, n: usize) -> String {
        match self {
            Copied::Terminal => {
                format!(
                    "已发送 {n} 字到终端剪贴板  sent {n} chars to the clipboard by OSC 52 (if the terminal allows it)"
                )
            }
            Copied::Tmux { clipboard: true } => {
                format!("已复制 {n} 字到 tmux 缓冲区和剪贴板  copied {n} chars to tmux's buffer and clipboard")
            }
            Copied::Tmux { clipboard: false } => {
                format!("已复制 {n} 字到 tmux 缓冲区 (prefix ])  copied to tmux's buffer only: set-clipboard is off")
            }
            Copied::TmuxRefused(why) => format!(
                "tmux 未接收复制  tmux did not take the copy ({why}): add `set -g set-clipboard on` to ~/.tmux.conf"
            ),
        }
    }
}

/// True inside tmux (its server sets $TMUX for every pane).
pub fn in_tmux() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

/// Copies `text`: through tmux when inside it (see the module comment), else by OSC 52 written
/// with `send` (the terminal's output).
pub fn copy(text: &str, send: &mut dyn FnMut(&[u8]) -> std::io::Result<()>) -> std::io::Result<Copied> {
    if !in_tmux() {
        send(osc52(text).as_bytes())?;
        return Ok(Copied::Terminal);
    }
    match tmux_load_buffer(text) {
        Ok(()) => {
            let setting = tmux(&["show-options", "-gv", "set-clipboard"]).unwrap_or_default();
            Ok(Copied::Tmux { clipboard: setting.trim() != "off" })
        }
        Err(why) => {
            send(tmux_passthrough(&osc52(text)).as_bytes())?;
            Ok(Copied::TmuxRefused(why))
        }
    }
}

fn tmux_load_buffer(text: &str) -> Result<(), String> {
    let mut child = Command::new("tmux")
        .args(["load-buffer", "-w", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run tmux: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(text.as_bytes()).map_err(|e| format!("tmux: {e}"))?;
    }
    let out = child.wait_with_output().map_err(|e| format!("tmux: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        Err(crate::domain::sanitize::sanitize_line(err.trim()).chars().take(60).collect())
    }
}

fn tmux(args: &[&str]) -> Option<String> {
    let out = Command::new("tmux").args(args).stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A sequence wrapped for tmux's passthrough (`ESC P tmux; ... ESC \`, inner ESCs doubled).
fn tmux_passthrough(seq: &str) -> String {
    format!("\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b"))
}

/// The OSC 52 sequence that puts `text` on the clipboard.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
        assert_eq!(base64("看报".as_bytes()), "55yL5oql");
        assert_eq!(osc52("a"), "\x1b]52;c;YQ==\x07");
    }

    #[test]
    fn passthrough_doubles_inner_escapes() {
        assert_eq!(tmux_passthrough("\x1b]52;c;YQ==\x07"), "\x1bPtmux;\x1b\x1b]52;c;YQ==\x07\x1b\\");
    }

    #[test]
    fn messages_say_where_the_text_went() {
        assert!(Copied::Terminal.message(5).contains("OSC 52"));
        assert!(Copied::Tmux { clipboard: true }.message(5).contains("tmux's buffer and clipboard"));
        assert!(Copied::Tmux { clipboard: false }.message(5).contains("set-clipboard is off"));
        assert!(Copied::TmuxRefused("old".into()).message(5).contains("set -g set-clipboard on"));
    }
}
