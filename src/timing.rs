//! Stage timings for benchmarks (`scripts/bench.sh`): with
//! `BRIEFING_TIMINGS=1`, a build prints how long each stage took. A
//! bottom-layer utility, so any stage can time itself without importing
//! the stage that drives it.

/// With `BRIEFING_TIMINGS=1` in the environment, a build prints the wall
/// time of each stage to stderr (`timing <stage> <ms> ms`). Off by default;
/// costs one env lookup per build when off.
pub struct StageTimer {
    last: Option<std::time::Instant>,
    /// The process's CPU time (ms) at `last`.
    cpu: f64,
}

pub fn timings_on() -> bool {
    std::env::var_os("BRIEFING_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Print `timing <stage> <ms> ms` for a stage that started at `start`
/// (one that runs beside others, which [`StageTimer`] cannot time).
pub fn timing(stage: &str, start: std::time::Instant) {
    if timings_on() {
        eprintln!(
            "timing {stage} {:.1} ms{}",
            start.elapsed().as_secs_f64() * 1000.0,
            rss_note()
        );
    }
}

fn rss_note() -> String {
    match (peak_rss("VmHWM:"), peak_rss("VmRSS:")) {
        (Some(peak), Some(now)) => {
            format!(
                " (peak RSS so far {} MB, now {} MB)",
                peak / 1024,
                now / 1024
            )
        }
        _ => String::new(),
    }
}

impl StageTimer {
    pub fn from_env() -> StageTimer {
        StageTimer {
            last: timings_on().then(std::time::Instant::now),
            cpu: cpu_ms().unwrap_or(0.0),
        }
    }

    pub fn lap(&mut self, stage: &str) {
        if let Some(last) = self.last {
            let now = std::time::Instant::now();
            let cpu = cpu_ms().unwrap_or(0.0);
            eprintln!(
                "timing {stage} {:.1} ms, cpu {:.0} ms{}",
                (now - last).as_secs_f64() * 1000.0,
                cpu - self.cpu,
                rss_note()
            );
            self.last = Some(now);
            self.cpu = cpu;
        }
    }
}

/// The CPU time (user + system, ms) this process has used so far, from
/// `/proc/self/stat` (Linux; `None` elsewhere).
fn cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // the fields after the command name (which may hold spaces), from the 3rd
    let mut rest = stat.rsplit_once(')')?.1.split_whitespace();
    let utime: f64 = rest.nth(11)?.parse().ok()?;
    let stime: f64 = rest.next()?.parse().ok()?;
    // clock ticks: 100 a second on Linux
    Some((utime + stime) * 10.0)
}

/// A memory figure (kB) of this process from `/proc/self/status`:
/// `VmHWM:` the peak resident set, `VmRSS:` the current one.
fn peak_rss(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
