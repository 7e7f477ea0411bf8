//! How the process asks the C allocator for memory (glibc only; elsewhere these do nothing).

/// Grows the heap in large steps. A load of 10,000 bulletins makes about half a million small
/// allocations on several threads; with glibc's default 128 KiB of slack each thread's heap
/// grows a page run at a time, one `brk` or `mprotect` call each (a tenth of `kanbao list`'s
/// time). Pages set aside this way and never touched cost no memory.
pub fn grow_in_large_steps() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tuning parameter; it is called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 16 << 20);
    }
}

/// Hands freed memory back to the system. A replaced corpus was built on a loader thread, in
/// that thread's malloc arena, and freed on another: glibc keeps such pages, so without this
/// every `R` reload left the process larger.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages to the system; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// `atan2f`, defined here so the program does not load the C maths library (libm) at all: the
/// PDF front end's rotation check (`f32::atan2`, in pdf_oxide) is its only use of libm, and
/// merely loading the library costs every run about 300 KB of resident memory (its code and
/// tables, mapped by the dynamic loader), a tenth of `kanbao list` on the bundled bulletins.
/// The linker resolves the call to this definition and then drops libm (`--as-needed`). The
/// body is the `libm` crate's port of the same C routine (musl's), so results do not change.
#[cfg(all(feature = "pdf", target_os = "linux", target_env = "gnu"))]
#[unsafe(no_mangle)]
pub extern "C" fn atan2f(y: f32, x: f32) -> f32 {
    libm::atan2f(y, x)
}

#[cfg(test)]
mod tests {
    use std::f32::consts::{FRAC_PI_4, PI};

    #[test]
    fn atan2_still_gives_the_angle() {
        // `f32::atan2` calls `atan2f`: in a build with the PDF front end, the one above.
        for (y, x, angle) in
            [(1.0f32, 1.0f32, FRAC_PI_4), (-1.0, -1.0, -3.0 * FRAC_PI_4), (0.0, -1.0, PI), (1.0, 0.0, PI / 2.0)]
        {
            assert!((y.atan2(x) - angle).abs() < 1e-6, "atan2({y}, {x})");
        }
        assert!(f32::NAN.atan2(1.0).is_nan());
    }
}
