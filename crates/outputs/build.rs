//! Writes `$OUT_DIR/blocks.rs`: every code block of every chapter `src/<ch>.md` that rustdoc
//! would run (`Info::executes`; the chapter crates give rustdoc them compile-only) as a
//! function that runs the block with `print!` and `println!` writing into a string, marked
//! as printing when it is one of `book::outputs::printing_blocks` (it has an output block).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let src = root.join("src");
    println!("cargo:rerun-if-changed={}", src.display());
    let mut files: Vec<_> = std::fs::read_dir(&src)
        .expect("the book's src/ folder")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let mut code = String::new();
    let mut table = String::from(
        "/// Every chapter with printing blocks, and its blocks in order.\npub const CHAPTERS: &[(&str, &[Block])] = &[\n",
    );
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 file name")
            .to_string();
        let text = std::fs::read_to_string(&path).expect("a chapter's text");
        let printing: Vec<usize> = match book::outputs::printing_blocks(&text) {
            Ok(b) => b.iter().map(|b| b.span.line).collect(),
            Err(e) => panic!("src/{name}.md: {e}"),
        };
        let doc = book::markdown::Document::parse(&text);
        let blocks: Vec<_> = doc.code_blocks().filter(|b| b.info.executes()).collect();
        if blocks.is_empty() {
            continue;
        }
        writeln!(code, "/// The printing blocks of `src/{name}.md`.\npub mod chapter_{name} {{\n    use super::Block;\n    /// In the text's order.\n    pub const BLOCKS: &[Block] = &[").unwrap();
        for (k, b) in blocks.iter().enumerate() {
            writeln!(
                code,
                "        Block {{ line: {}, prints: {}, run: block_{k} }},",
                b.span.line,
                printing.contains(&b.span.line)
            )
            .unwrap();
        }
        code.push_str("    ];\n");
        for (k, b) in blocks.iter().enumerate() {
            writeln!(
                code,
                "\n    // src/{name}.md, the code block on line {line}.\n    fn block_{k}(out: &mut String) -> super::BlockResult {{\n        use std::fmt::Write as _;\n        #[allow(unused_macros)]\n        macro_rules! print {{ ($($t:tt)*) => {{{{ let _ = write!(out, $($t)*); }}}}; }}\n        #[allow(unused_macros)]\n        macro_rules! println {{ () => {{{{ out.push('\\n') }}}}; ($($t:tt)*) => {{{{ let _ = writeln!(out, $($t)*); }}}}; }}\n        #[allow(unreachable_code, clippy::let_unit_value)]\n        let _ = {{",
                line = b.span.line
            )
            .unwrap();
            for l in b.code_lines() {
                writeln!(code, "{l}").unwrap();
            }
            code.push_str("        };\n        Ok(())\n    }\n");
        }
        code.push_str("}\n");
        writeln!(table, "    (\"{name}\", chapter_{name}::BLOCKS),").unwrap();
    }
    table.push_str("];\n");
    code.push_str(&table);
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out.join("blocks.rs"), code).expect("writing blocks.rs");
}
