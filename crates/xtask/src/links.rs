//! Checks the built book: every relative link and resource resolves to a file (and every
//! `#anchor` to an id in it), and nothing is loaded from another host: no stylesheet,
//! script, image, frame or font (`url()` in CSS) points off-host. Links for the reader to
//! follow (`<a href="https://...">`) may point anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};
use scraper::{Html, Selector};

/// What [`check`] found.
#[derive(Debug, Default)]
pub struct Report {
    /// HTML pages checked.
    pub pages: usize,
    /// Links, resources and CSS urls checked.
    pub links: usize,
    /// One line per problem: the page, the reference and what is wrong.
    pub problems: Vec<String>,
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// An off-host reference: a scheme (`https:`, `http:`, ...) or protocol-relative `//`.
fn is_remote(url: &str) -> bool {
    let u = url.trim();
    u.starts_with("//")
        || u.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
                && !scheme.contains('/')
        })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%' && i + 2 < bytes.len())
            .then(|| std::str::from_utf8(&bytes[i + 1..i + 3]).ok())
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        if let Some(b) = hex {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `base_dir.join(path)` with `.` and `..` resolved, or None if it climbs out of `root`.
fn resolve(root: &Path, base_dir: &Path, path: &str) -> Option<PathBuf> {
    let start = if let Some(abs) = path.strip_prefix('/') {
        root.join(abs)
    } else {
        base_dir.join(path)
    };
    let mut out = PathBuf::new();
    for c in start.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out.starts_with(root).then_some(out)
}

struct Checker<'a> {
    root: &'a Path,
    ids: BTreeMap<PathBuf, BTreeSet<String>>,
    report: Report,
}

impl Checker<'_> {
    fn ids_of(&mut self, page: &Path) -> Result<&BTreeSet<String>> {
        if !self.ids.contains_key(page) {
            let html = Html::parse_document(&std::fs::read_to_string(page)?);
            let selector = Selector::parse("[id], a[name]").expect("valid selector");
            let ids = html
                .select(&selector)
                .filter_map(|e| {
                    e.value()
                        .id()
                        .or_else(|| e.value().attr("name"))
                        .map(str::to_string)
                })
                .collect();
            self.ids.insert(page.to_path_buf(), ids);
        }
        Ok(&self.ids[page])
    }

    fn problem(&mut self, page: &Path, what: String) {
        let page = page
            .strip_prefix(self.root)
            .unwrap_or(page)
            .display()
            .to_string();
        self.report.problems.push(format!("{page}: {what}"));
    }

    /// Check one reference from `page` (whose links resolve against `base_dir`).
    fn reference(&mut self, page: &Path, base_dir: &Path, url: &str, resource: bool) -> Result<()> {
        self.report.links += 1;
        let url = url.trim();
        if url.is_empty() {
            return Ok(());
        }
        if is_remote(url) {
            let scheme = url.split(':').next().unwrap_or_default();
            if resource && !matches!(scheme, "data") {
                self.problem(
                    page,
                    format!("loads {url:?} from the network (the book must work offline)"),
                );
            }
            return Ok(());
        }
        let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
        let path = path.split('?').next().unwrap_or_default();
        let target = if path.is_empty() {
            Some(page.to_path_buf())
        } else {
            resolve(self.root, base_dir, &percent_decode(path)).map(|t| {
                if path.ends_with('/') {
                    t.join("index.html")
                } else {
                    t
                }
            })
        };
        let Some(target) = target else {
            self.problem(page, format!("{url:?} points outside the book"));
            return Ok(());
        };
        if !target.is_file() {
            self.problem(page, format!("{url:?} does not resolve to a file"));
            return Ok(());
        }
        if !fragment.is_empty() && target.extension().is_some_and(|e| e == "html") {
            let id = percent_decode(fragment);
            if !self.ids_of(&target)?.contains(&id) {
                self.problem(
                    page,
                    format!("{url:?}: no element with id {id:?} in the target"),
                );
            }
        }
        Ok(())
    }

    fn css(&mut self, page: &Path, base_dir: &Path, css: &str) -> Result<()> {
        for url in css_urls(css) {
            if !url.starts_with("data:") {
                self.reference(page, base_dir, &url, true)?;
            }
        }
        Ok(())
    }

    fn html(&mut self, page: &Path) -> Result<()> {
        self.report.pages += 1;
        let html = Html::parse_document(&std::fs::read_to_string(page)?);
        let dir = page.parent().expect("a file has a folder").to_path_buf();
        let base_sel = Selector::parse("base[href]").expect("valid selector");
        let base_dir = match html
            .select(&base_sel)
            .next()
            .and_then(|b| b.value().attr("href"))
        {
            // An absolute <base> is mdBook's site-url (on the 404 page): where the book's
            // root is served, whatever that path is.
            Some(base) if base.starts_with('/') => self.root.to_path_buf(),
            Some(base) if !is_remote(base) => resolve(self.root, &dir, base).unwrap_or(dir.clone()),
            _ => dir.clone(),
        };
        let refs =
            Selector::parse("[href], [src], [srcset], object[data]").expect("valid selector");
        let mut found = Vec::new();
        for e in html.select(&refs) {
            let el = e.value();
            let resource = el.name() != "a" && el.name() != "area" && el.name() != "base";
            if el.name() == "base" {
                continue;
            }
            for attr in ["href", "src", "data"] {
                if let Some(v) = el.attr(attr) {
                    found.push((v.to_string(), resource));
                }
            }
            if let Some(set) = el.attr("srcset") {
                for candidate in set.split(',') {
                    if let Some(u) = candidate.split_whitespace().next() {
                        found.push((u.to_string(), true));
                    }
                }
            }
        }
        for (url, resource) in found {
            self.reference(page, &base_dir, &url, resource)?;
        }
        let styles = Selector::parse("style, [style]").expect("valid selector");
        let mut css = Vec::new();
        for e in html.select(&styles) {
            if e.value().name() == "style" {
                css.push(e.text().collect::<String>());
            }
            if let Some(s) = e.value().attr("style") {
                css.push(s.to_string());
            }
        }
        for text in css {
            self.css(page, &base_dir, &text)?;
        }
        Ok(())
    }
}

/// The targets of `url(...)` and `@import "..."` in a stylesheet.
fn css_urls(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = css;
    while let Some(p) = rest.find("url(") {
        let after = &rest[p + 4..];
        let end = after.find(')').unwrap_or(after.len());
        out.push(after[..end].trim().trim_matches(['"', '\'']).to_string());
        rest = &after[end..];
    }
    let mut rest = css;
    while let Some(p) = rest.find("@import") {
        let after = rest[p + 7..].trim_start();
        if let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'')
            && let Some(end) = after[1..].find(q)
        {
            out.push(after[1..1 + end].to_string());
        }
        rest = &rest[p + 7..];
    }
    out
}

/// Check every HTML page and stylesheet under `book`.
pub fn check(book: &Path) -> Result<Report> {
    let root = book
        .canonicalize()
        .with_context(|| format!("no built book at {}", book.display()))?;
    let mut all = Vec::new();
    files(&root, &mut all)?;
    let mut checker = Checker {
        root: &root,
        ids: BTreeMap::new(),
        report: Report::default(),
    };
    for file in &all {
        match file.extension().and_then(|e| e.to_str()) {
            Some("html") => checker.html(file)?,
            Some("css") => {
                let text = std::fs::read_to_string(file)?;
                let dir = file.parent().expect("a file has a folder").to_path_buf();
                checker.css(file, &dir, &text)?;
            }
            _ => {}
        }
    }
    Ok(checker.report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "xtask-links-{}-{}",
            std::process::id(),
            files.len()
        ));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn good_links_pass_and_bad_ones_are_named() {
        let dir = site(&[
            (
                "index.html",
                r##"<html><head><link rel="stylesheet" href="css/a.css"></head><body><h1 id="top">T</h1><a href="ch/one.html#sec">one</a> <a href="#top">top</a> <a href="https://example.org/">out</a> <img src="img/a%20b.svg"></body></html>"##,
            ),
            (
                "ch/one.html",
                r##"<p id="sec"><a href="../index.html">up</a><a href="../missing.html">x</a><a href="../index.html#nope">y</a><script src="https://cdn.example.org/x.js"></script><img src="//cdn.example.org/i.png"></p>"##,
            ),
            (
                "css/a.css",
                "@font-face { src: url(fonts/f.woff2) format('woff2'), url('https://fonts.example.org/f.woff'); } @import \"b.css\";",
            ),
            (
                "css/b.css",
                "body { background: url(data:image/png;base64,AAAA); }",
            ),
            ("css/fonts/f.woff2", ""),
            ("img/a b.svg", "<svg/>"),
        ]);
        let report = check(&dir).unwrap();
        assert_eq!(report.pages, 2);
        let problems = report.problems.join("\n");
        assert_eq!(report.problems.len(), 5, "{problems}");
        assert!(
            problems.contains("ch/one.html: \"../missing.html\" does not resolve"),
            "{problems}"
        );
        assert!(
            problems.contains("\"../index.html#nope\": no element with id \"nope\""),
            "{problems}"
        );
        assert!(
            problems.contains("loads \"https://cdn.example.org/x.js\" from the network"),
            "{problems}"
        );
        assert!(
            problems.contains("loads \"//cdn.example.org/i.png\""),
            "{problems}"
        );
        assert!(
            problems.contains("css/a.css: loads \"https://fonts.example.org/f.woff\""),
            "{problems}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn urls_are_classified_and_resolved() {
        assert!(is_remote("https://a"));
        assert!(is_remote("//a/b"));
        assert!(is_remote("mailto:x@y"));
        assert!(!is_remote("a/b.html"));
        assert!(!is_remote("../x.html#a:b"));
        assert_eq!(percent_decode("a%20b%C3%A9"), "a bé");
        let root = Path::new("/r");
        assert_eq!(
            resolve(root, Path::new("/r/a"), "../b/c.html"),
            Some(PathBuf::from("/r/b/c.html"))
        );
        assert_eq!(resolve(root, Path::new("/r/a"), "../../x"), None);
        assert_eq!(
            resolve(root, Path::new("/r/a"), "/x.html"),
            Some(PathBuf::from("/r/x.html"))
        );
    }
}
