//! Background work as single jobs, after gitui's `AsyncSingleJob`: at most one task of a kind
//! runs, and at most one waits. A request while one runs takes the waiting slot, replacing any
//! request already there: pressing `R` five times during a slow load reads the files twice (the
//! load under way, then one more), never five times on five threads; ten saves queued behind a
//! slow disk write only the newest state.
//!
//! Results come back through `try_recv` (the UI thread polls it when woken by `notify`), and
//! `wait` blocks until the job is idle: the reader uses it at quit, after the terminal is
//! restored, so the last save lands and its outcome can be reported.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;

/// One piece of background work, producing `R`.
pub type Task<R> = Box<dyn FnOnce() -> R + Send>;

/// What a request did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queued {
    /// Nothing was running: the task started now.
    Started,
    /// A task is running: this one waits and starts when it finishes.
    Waiting,
    /// A task is running and another was waiting: this one took its place (that one never runs).
    Replaced,
}

/// What the job is doing now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Status {
    pub running: bool,
    pub waiting: bool,
    /// Tasks started since the job was made (each one on the job's thread, one at a time).
    pub started: u64,
}

struct Slot<R> {
    running: bool,
    waiting: Option<Task<R>>,
    started: u64,
}

struct Shared<R> {
    slot: Mutex<Slot<R>>,
    idle: Condvar,
    results: Sender<R>,
    notify: Box<dyn Fn() + Send + Sync>,
}

impl<R> Shared<R> {
    /// A panicking task must not stop the job (or the quit that waits for it).
    fn slot(&self) -> MutexGuard<'_, Slot<R>> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A kind of background work of which one runs at a time, with one waiting slot.
pub struct SingleJob<R> {
    shared: Arc<Shared<R>>,
    results: Receiver<R>,
}

impl<R: Send + 'static> SingleJob<R> {
    /// `notify` is called on the job's thread after each result is ready (the reader wakes its
    /// input wait with it).
    pub fn new(notify: impl Fn() + Send + Sync + 'static) -> SingleJob<R> {
        let (tx, rx) = mpsc::channel();
        let slot = Slot { running: false, waiting: None, started: 0 };
        let shared = Shared { slot: Mutex::new(slot), idle: Condvar::new(), results: tx, notify: Box::new(notify) };
        SingleJob { shared: Arc::new(shared), results: rx }
    }

    /// Runs `task` now if the job is idle, else keeps it as the one to run next.
    pub fn request(&self, task: impl FnOnce() -> R + Send + 'static) -> Queued {
        let task: Task<R> = Box::new(task);
        let mut slot = self.shared.slot();
        if slot.running {
            return match slot.waiting.replace(task) {
                Some(_) => Queued::Replaced,
                None => Queued::Waiting,
            };
        }
        slot.running = true;
        slot.started += 1;
        drop(slot);
        // Handed over through a cell so that, with no thread to be had, it can still run here.
        let cell = Arc::new(Mutex::new(Some(task)));
        let spawned = thread::Builder::new().name("kanbao-job".into()).spawn({
            let (shared, cell) = (Arc::clone(&self.shared), Arc::clone(&cell));
            move || {
                if let Some(task) = cell.lock().unwrap_or_else(|e| e.into_inner()).take() {
                    work(&shared, task);
                }
            }
        });
        if let Err(e) = spawned {
            // A process limit: the work (a save) still has to happen, so on the caller's thread.
            crate::log::line(&format!("job: no thread ({e}); running it on the caller's"));
            if let Some(task) = cell.lock().unwrap_or_else(|e| e.into_inner()).take() {
                work(&self.shared, task);
            }
        }
        Queued::Started
    }

    pub fn status(&self) -> Status {
        let slot = self.shared.slot();
        Status { running: slot.running, waiting: slot.waiting.is_some(), started: slot.started }
    }

    /// A finished task's result, oldest first, without waiting.
    pub fn try_recv(&self) -> Option<R> {
        self.results.try_recv().ok()
    }

    /// Waits until nothing runs or waits, and returns the results not yet taken, oldest first.
    pub fn wait(&self) -> Vec<R> {
        let mut slot = self.shared.slot();
        while slot.running {
            slot = self.shared.idle.wait(slot).unwrap_or_else(|e| e.into_inner());
        }
        drop(slot);
        self.results.try_iter().collect()
    }
}

/// The job's thread: runs `task`, then whatever waits, until nothing does.
fn work<R>(shared: &Shared<R>, mut task: Task<R>) {
    // A panicking task ends the thread: mark the job idle then too, or `wait` would wait forever.
    struct Idle<'a, R>(&'a Shared<R>);
    impl<R> Drop for Idle<'_, R> {
        fn drop(&mut self) {
            if thread::panicking() {
                let mut slot = self.0.slot();
                slot.running = false;
                slot.waiting = None;
                self.0.idle.notify_all();
            }
        }
    }
    let _idle = Idle(shared);
    loop {
        let result = task();
        // The receiver is gone only when the reader is gone; nothing to tell then.
        let _ = shared.results.send(result);
        (shared.notify)();
        let mut slot = shared.slot();
        match slot.waiting.take() {
            Some(next) => {
                slot.started += 1;
                task = next;
            }
            None => {
                // Idle under the same lock that found nothing waiting: a request made from
                // now on starts its own thread instead of waiting for this one.
                slot.running = false;
                shared.idle.notify_all();
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

    /// A task that blocks until the test lets it go, recording that it ran.
    fn gated(ran: &Arc<AtomicUsize>, value: u32) -> (impl FnOnce() -> u32 + Send + 'static, Sender<()>) {
        let (go, gate) = mpsc::channel::<()>();
        let ran = Arc::clone(ran);
        let task = move || {
            let _ = gate.recv();
            ran.fetch_add(1, SeqCst);
            value
        };
        (task, go)
    }

    #[test]
    fn requests_while_running_coalesce_into_one_waiting() {
        let ran = Arc::new(AtomicUsize::new(0));
        let job = SingleJob::new(|| {});
        let (first, go) = gated(&ran, 1);
        assert_eq!(job.request(first), Queued::Started);
        assert_eq!(job.request(move || 2), Queued::Waiting);
        assert_eq!(job.request(move || 3), Queued::Replaced);
        assert_eq!(job.request(move || 4), Queued::Replaced);
        assert_eq!(job.status(), Status { running: true, waiting: true, started: 1 });
        go.send(()).unwrap();
        // The running one, then only the newest waiting one.
        assert_eq!(job.wait(), vec![1, 4]);
        assert_eq!(job.status(), Status { running: false, waiting: false, started: 2 });
        assert_eq!(ran.load(SeqCst), 1);
    }

    #[test]
    fn an_idle_job_starts_at_once_and_notifies_each_result() {
        let told = Arc::new(AtomicUsize::new(0));
        let job = SingleJob::new({
            let told = Arc::clone(&told);
            move || {
                told.fetch_add(1, SeqCst);
            }
        });
        assert_eq!(job.request(|| "a"), Queued::Started);
        assert_eq!(job.wait(), vec!["a"]);
        assert_eq!(job.request(|| "b"), Queued::Started);
        assert_eq!(job.wait(), vec!["b"]);
        assert_eq!(told.load(SeqCst), 2);
        assert_eq!(job.try_recv(), None);
    }

    #[test]
    fn the_newest_request_always_runs() {
        // Requests racing with tasks that finish: none may fall between "nothing waits" and
        // "idle" (the last one is the state a quit must save).
        let job = SingleJob::new(|| {});
        for round in 0..200u32 {
            for i in 0..20 {
                job.request(move || round * 100 + i);
            }
            let results = job.wait();
            assert_eq!(results.last(), Some(&(round * 100 + 19)), "round {round}: {results:?}");
            assert!(results.windows(2).all(|w| w[0] < w[1]), "in order, each at most once: {results:?}");
        }
    }

    #[test]
    fn a_panicking_task_leaves_the_job_usable() {
        let job: SingleJob<u32> = SingleJob::new(|| {});
        job.request(|| panic!("a test panic inside a job"));
        assert_eq!(job.wait(), Vec::<u32>::new());
        job.request(|| 7);
        assert_eq!(job.wait(), vec![7]);
    }
}
