//! A web page as a small tree: html5ever parses, and this module's tree sink keeps only what
//! reading needs (element names, the attributes that say what an element is, text).
//!
//! Input: the page's text. Output: a [`Dom`] whose nodes are in document order (a node's
//! children come after it), no deeper than [`MAX_DEPTH`]: the elements of a deeper subtree
//! hang from its ancestor at that depth, so that the walks over the tree stay shallow whatever
//! the page.

use std::borrow::Cow;
use std::cell::{Ref, RefCell};

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, QualName, local_name, ns};

/// How deep the tree goes; deeper elements are children of their ancestor at this depth.
pub(super) const MAX_DEPTH: usize = 200;

/// What a node is.
#[derive(Debug, Clone)]
pub(super) enum Kind {
    /// The document.
    Document,
    /// An element.
    Element(Element),
    /// Text.
    Text(String),
}

/// An element, with the attributes reading looks at.
#[derive(Debug, Clone, Default)]
pub(super) struct Element {
    /// The tag name, lowercase.
    pub(super) tag: String,
    /// The `id` and the class names, lowercase, space-separated.
    pub(super) names: String,
    /// `colspan`, at least 1.
    pub(super) colspan: usize,
    /// `rowspan`, at least 1.
    pub(super) rowspan: usize,
    /// Hidden by a `hidden` attribute or `display: none`.
    pub(super) hidden: bool,
}

impl Element {
    /// Whether the element's id or one of its class names is `name` (lowercase).
    pub(super) fn named(&self, name: &str) -> bool {
        self.names.split_ascii_whitespace().any(|n| n == name)
    }
}

/// One node of the tree.
#[derive(Debug, Clone)]
pub(super) struct Node {
    pub(super) kind: Kind,
    pub(super) parent: usize,
    pub(super) children: Vec<usize>,
    pub(super) depth: usize,
}

/// A parsed page.
#[derive(Debug, Clone)]
pub(super) struct Dom {
    /// The nodes in document order; node 0 is the document.
    pub(super) nodes: Vec<Node>,
    /// The `<meta name=… content=…>` pairs, names lowercase.
    pub(super) metas: Vec<(String, String)>,
}

impl Dom {
    /// The element at `n`, if it is one.
    pub(super) fn element(&self, n: usize) -> Option<&Element> {
        match &self.nodes[n].kind {
            Kind::Element(e) => Some(e),
            _ => None,
        }
    }

    /// The tag name of the element at `n`, or empty.
    pub(super) fn tag(&self, n: usize) -> &str {
        self.element(n).map_or("", |e| e.tag.as_str())
    }

    /// The content of the first `<meta>` named `name` (lowercase).
    pub(super) fn meta(&self, name: &str) -> Option<&str> {
        self.metas
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.as_str())
            .filter(|c| !c.trim().is_empty())
    }
}

/// Parses a page.
pub(super) fn parse(text: &str) -> Dom {
    html5ever::parse_document(Sink::default(), Default::default()).one(text)
}

/// A node while html5ever builds the tree.
struct Building {
    name: QualName,
    kind: Kind,
    parent: Option<usize>,
    children: Vec<usize>,
    /// A `<template>`'s contents (never read: a browser does not show them).
    template: Option<usize>,
}

/// The tree sink: nodes in an arena, linked by index. html5ever moves nodes about while it
/// builds (misnested tags, tables), so the final tree is read out in [`TreeSink::finish`].
struct Sink {
    nodes: RefCell<Vec<Building>>,
    metas: RefCell<Vec<(String, String)>>,
}

fn no_name() -> QualName {
    QualName::new(None, ns!(), local_name!(""))
}

impl Default for Sink {
    fn default() -> Self {
        Sink {
            nodes: RefCell::new(vec![Building {
                name: no_name(),
                kind: Kind::Document,
                parent: None,
                children: Vec::new(),
                template: None,
            }]),
            metas: RefCell::new(Vec::new()),
        }
    }
}

/// The attribute `name` of `attrs`.
fn attr<'a>(attrs: &'a [Attribute], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

/// What reading needs of an element.
fn element(name: &QualName, attrs: &[Attribute]) -> Element {
    let tag = name.local.to_ascii_lowercase().to_string();
    let mut names = attr(attrs, "id").unwrap_or("").to_ascii_lowercase();
    if let Some(class) = attr(attrs, "class") {
        names.push(' ');
        names.push_str(&class.to_ascii_lowercase());
    }
    let style: String = attr(attrs, "style")
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    // `visibility: hidden` is how some pages hide their body until a script runs: not
    // honoured. `display: none` and `hidden` hide widgets (counters, QR codes, log-in boxes),
    // though never a page's `<html>` or `<body>`.
    let hidden = !matches!(tag.as_str(), "html" | "body")
        && (attr(attrs, "hidden").is_some() || style.contains("display:none"));
    let span = |n: &str| {
        attr(attrs, n)
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, 1000)
    };
    Element {
        tag,
        names,
        colspan: span("colspan"),
        rowspan: span("rowspan"),
        hidden,
    }
}

impl Sink {
    fn push(&self, name: QualName, kind: Kind) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Building {
            name,
            kind,
            parent: None,
            children: Vec::new(),
            template: None,
        });
        nodes.len() - 1
    }

    fn detach(&self, child: usize) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(p) = nodes.get_mut(child).and_then(|c| c.parent.take())
            && let Some(at) = nodes[p].children.iter().position(|&c| c == child)
        {
            nodes[p].children.remove(at);
        }
    }

    fn insert(&self, parent: usize, at: usize, child: NodeOrText<usize>) {
        match child {
            NodeOrText::AppendNode(c) => {
                self.detach(c);
                let mut nodes = self.nodes.borrow_mut();
                nodes[c].parent = Some(parent);
                let at = at.min(nodes[parent].children.len());
                nodes[parent].children.insert(at, c);
            }
            NodeOrText::AppendText(t) => {
                let mut nodes = self.nodes.borrow_mut();
                let at = at.min(nodes[parent].children.len());
                // Text next to text is one text.
                if let Some(prev) = at.checked_sub(1).map(|i| nodes[parent].children[i])
                    && let Kind::Text(s) = &mut nodes[prev].kind
                {
                    s.push_str(&t);
                    return;
                }
                nodes.push(Building {
                    name: no_name(),
                    kind: Kind::Text(t.to_string()),
                    parent: Some(parent),
                    children: Vec::new(),
                    template: None,
                });
                let id = nodes.len() - 1;
                nodes[parent].children.insert(at, id);
            }
        }
    }
}

impl TreeSink for Sink {
    type Handle = usize;
    type Output = Dom;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Dom {
        let built = self.nodes.into_inner();
        let mut nodes = vec![Node {
            kind: Kind::Document,
            parent: 0,
            children: Vec::new(),
            depth: 0,
        }];
        // Depth first, in order: (node being built, its parent in the final tree).
        let mut stack: Vec<(usize, usize)> =
            built[0].children.iter().rev().map(|&c| (c, 0)).collect();
        while let Some((b, parent)) = stack.pop() {
            let kind = match &built[b].kind {
                Kind::Element(e) => Kind::Element(e.clone()),
                Kind::Text(t) => Kind::Text(t.clone()),
                Kind::Document => continue,
            };
            let depth = (nodes[parent].depth + 1).min(MAX_DEPTH);
            let id = nodes.len();
            nodes.push(Node {
                kind,
                parent,
                children: Vec::new(),
                depth,
            });
            nodes[parent].children.push(id);
            // At the depth limit, a node's children hang from its parent, after it.
            let next_parent = if depth >= MAX_DEPTH { parent } else { id };
            if matches!(built[b].kind, Kind::Element(_)) {
                stack.extend(built[b].children.iter().rev().map(|&c| (c, next_parent)));
            }
        }
        Dom {
            nodes,
            metas: self.metas.into_inner(),
        }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> usize {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a usize) -> Ref<'a, QualName> {
        Ref::map(self.nodes.borrow(), |n| &n[*target].name)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> usize {
        let el = element(&name, &attrs);
        if el.tag == "meta"
            && let (Some(n), Some(c)) = (attr(&attrs, "name"), attr(&attrs, "content"))
        {
            self.metas
                .borrow_mut()
                .push((n.to_ascii_lowercase(), c.to_string()));
        }
        let id = self.push(name, Kind::Element(el));
        if flags.template {
            let contents = self.push(no_name(), Kind::Document);
            self.nodes.borrow_mut()[id].template = Some(contents);
        }
        id
    }

    fn create_comment(&self, _text: StrTendril) -> usize {
        self.push(no_name(), Kind::Document)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> usize {
        self.push(no_name(), Kind::Document)
    }

    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        let at = self.nodes.borrow()[*parent].children.len();
        self.insert(*parent, at, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &usize,
        prev_element: &usize,
        child: NodeOrText<usize>,
    ) {
        if self.nodes.borrow()[*element].parent.is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &usize) -> usize {
        self.nodes.borrow()[*target].template.unwrap_or(*target)
    }

    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &usize, new_node: NodeOrText<usize>) {
        let parent = self.nodes.borrow()[*sibling].parent;
        let Some(parent) = parent else { return };
        let at = self.nodes.borrow()[parent]
            .children
            .iter()
            .position(|c| c == sibling)
            .unwrap_or(0);
        self.insert(parent, at, new_node);
    }

    fn add_attrs_if_missing(&self, target: &usize, attrs: Vec<Attribute>) {
        // A second `<html>` or `<body>` tag: its id and classes join the element's.
        let mut nodes = self.nodes.borrow_mut();
        if let Kind::Element(e) = &mut nodes[*target].kind {
            for name in ["id", "class"] {
                if let Some(v) = attr(&attrs, name) {
                    e.names.push(' ');
                    e.names.push_str(&v.to_ascii_lowercase());
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &usize) {
        self.detach(*target);
    }

    fn reparent_children(&self, node: &usize, new_parent: &usize) {
        let mut nodes = self.nodes.borrow_mut();
        let kids = std::mem::take(&mut nodes[*node].children);
        for &k in &kids {
            nodes[k].parent = Some(*new_parent);
        }
        nodes[*new_parent].children.extend(kids);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_is_in_order_and_shallow() {
        let deep = format!(
            "<body>{}x{}</body>",
            "<div>".repeat(5000),
            "</div>".repeat(5000)
        );
        let dom = parse(&deep);
        let max = dom.nodes.iter().map(|n| n.depth).max().unwrap_or(0);
        assert!(max <= MAX_DEPTH, "{max}");
        assert!(
            dom.nodes
                .iter()
                .any(|n| matches!(&n.kind, Kind::Text(t) if t == "x"))
        );
        for (i, n) in dom.nodes.iter().enumerate() {
            assert!(
                n.children
                    .iter()
                    .all(|&c| c > i && dom.nodes[c].parent == i)
            );
        }
        let dom = parse("<meta name=PubDate content='2024-01-02'><p id=A class='X y'>t</p>");
        assert_eq!(dom.meta("pubdate"), Some("2024-01-02"));
        let p = (0..dom.nodes.len()).find(|&n| dom.tag(n) == "p").unwrap();
        let e = dom.element(p).unwrap();
        assert!(e.named("a") && e.named("x") && e.named("y") && !e.named("x y"));
    }
}
