//! The native CLI: `chartlab template`, `chartlab bench`, `chartlab sh`.

fn main() {
    eprintln!("chartlab: not yet");
    std::process::exit(2);
}
