//! The ordered parallel pipeline under `batch`: a function over a stream of items on several
//! threads, the results handed on in input order.

use std::collections::BTreeMap;
use std::sync::mpsc::{channel, sync_channel};
use std::sync::{Arc, Mutex};

/// Runs `work` on `threads` threads over the items that `produce` pushes, and calls `emit`
/// with the results in the order the items were pushed. At most `in_flight` items are read
/// ahead of the last result emitted. `produce` receives a push function that returns `false`
/// once the pipeline stops (when `emit` returns `false`); `produce` should then return.
pub fn ordered<T, R>(
    threads: usize,
    in_flight: usize,
    produce: impl FnOnce(&mut dyn FnMut(T) -> bool) + Send,
    work: impl Fn(T) -> R + Sync,
    mut emit: impl FnMut(R) -> bool,
) where
    T: Send,
    R: Send,
{
    let threads = threads.max(1);
    let in_flight = in_flight.max(threads);
    let (work_tx, work_rx) = sync_channel::<(u64, T)>(threads);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = channel::<(u64, R)>();
    // Tokens bound the items between reading and emitting.
    let (token_tx, token_rx) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        let _ = token_tx.send(());
    }
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut seq = 0u64;
            let mut push = |item: T| -> bool {
                if token_rx.recv().is_err() || work_tx.send((seq, item)).is_err() {
                    return false;
                }
                seq += 1;
                true
            };
            produce(&mut push);
        });
        for _ in 0..threads {
            let rx = Arc::clone(&work_rx);
            let tx = done_tx.clone();
            let work = &work;
            scope.spawn(move || {
                loop {
                    let next = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, item)) = next else { return };
                    if tx.send((seq, work(item))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let mut pending: BTreeMap<u64, R> = BTreeMap::new();
        let mut next = 0u64;
        'outer: for (seq, r) in done_rx.iter() {
            pending.insert(seq, r);
            while let Some(r) = pending.remove(&next) {
                next += 1;
                if !emit(r) {
                    break 'outer;
                }
                let _ = token_tx.send(());
            }
        }
        // Stopping early: dropping the receivers ends the reader and the workers.
        drop(token_tx);
        drop(done_rx);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_order_whatever_the_threads() {
        for threads in [1, 2, 8] {
            let mut got = Vec::new();
            ordered(
                threads,
                4,
                |push| {
                    for i in 0..200u64 {
                        if !push(i) {
                            return;
                        }
                    }
                },
                |i| {
                    // Uneven work, so that later items often finish first.
                    std::thread::sleep(std::time::Duration::from_micros((i * 37 % 11) * 50));
                    i * 2
                },
                |r| {
                    got.push(r);
                    true
                },
            );
            assert_eq!(
                got,
                (0..200).map(|i| i * 2).collect::<Vec<_>>(),
                "threads {threads}"
            );
        }
    }

    #[test]
    fn stopping_early_ends_the_pipeline() {
        let mut got = 0;
        ordered(
            2,
            2,
            |push| {
                let mut i = 0u64;
                while push(i) {
                    i += 1;
                }
            },
            |i| i,
            |_| {
                got += 1;
                got < 10
            },
        );
        assert_eq!(got, 10);
    }
}
