//! The small expression language of form files (`relevant`, `calculate`, `constraint.expr`).
//!
//! Grammar (lowest precedence first):
//!
//! ```text
//! expr    := or
//! or      := and ( "or" and )*
//! and     := not ( "and" not )*
//! not     := "not" not | compare
//! compare := sum ( ( "=" | "!=" | "<" | "<=" | ">" | ">=" ) sum )?
//! sum     := product ( ( "+" | "-" ) product )*
//! product := unary ( ( "*" | "/" ) unary )*
//! unary   := "-" unary | primary
//! primary := number | 'string' | "string" | ${question_id} | "." | "true" | "false"
//!          | "(" expr ")" | function "(" args ")"
//! function:= selected(${q}, 'value') | count(${q}) | if(cond, a, b)
//! ```
//!
//! Values: nothing (an unanswered question), numbers, strings, booleans and lists (a `multi` answer).
//! A yes/no answer equals `'yes'` / `'no'` as well as `true` / `false`; a date compares as its ISO text
//! (`'2026-11-24'`). `=` with an unanswered question is true only against `''`; `<`, `>` and friends with an
//! unanswered question are false; arithmetic with one is unanswered; division by zero is unanswered.
//! `count(${q})` is the number of selected choices, photos or repeat items (1 for any other answer).
//! `.` is the value being checked, and only makes sense in `constraint.expr`.

use std::fmt;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(f64),
    Str(String),
    Bool(bool),
    Ref(String),
    Current,
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    Selected(String, String),
    Count(String),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// The value of an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Num(f64),
    Str(String),
    Bool(bool),
    List(Vec<String>),
}

impl Value {
    pub fn truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Num(n) => *n != 0.0 && !n.is_nan(),
            Value::Str(s) => !s.is_empty(),
            Value::Bool(b) => *b,
            Value::List(l) => !l.is_empty(),
        }
    }

    fn as_num(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            Value::Str(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
            Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
            _ => None,
        }
    }
}

/// What an expression can look at.
pub trait Context {
    /// The value of the answer to question `id` (`Value::Null` when unanswered).
    fn value(&self, id: &str) -> Value;
    /// How many choices, photos or items the answer holds.
    fn count(&self, id: &str) -> usize;
    /// The value being checked (for `.`).
    fn current(&self) -> Value {
        Value::Null
    }
}

/// A parse error with the byte offset where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.offset + 1)
    }
}

const MAX_SOURCE: usize = 2000;
const MAX_DEPTH: usize = 40;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Ref(String),
    Ident(String),
    Dot,
    Op(&'static str),
    LParen,
    RParen,
    Comma,
}

fn tokenize(src: &str) -> Result<Vec<(usize, Tok)>, ParseError> {
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |offset: usize, message: &str| ParseError { offset, message: message.to_string() };
    while i < chars.len() {
        let (off, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '$' => {
                if chars.get(i + 1).map(|x| x.1) != Some('{') {
                    return Err(err(off, "expected `{` after `$`"));
                }
                let mut j = i + 2;
                let mut name = String::new();
                while j < chars.len() && chars[j].1 != '}' {
                    name.push(chars[j].1);
                    j += 1;
                }
                if j >= chars.len() {
                    return Err(err(off, "unclosed `${`"));
                }
                let name = name.trim().to_string();
                if name.is_empty() {
                    return Err(err(off, "empty reference `${}`"));
                }
                out.push((off, Tok::Ref(name)));
                i = j + 1;
            }
            '\'' | '"' => {
                let mut j = i + 1;
                let mut s = String::new();
                while j < chars.len() && chars[j].1 != c {
                    s.push(chars[j].1);
                    j += 1;
                }
                if j >= chars.len() {
                    return Err(err(off, "unclosed string"));
                }
                out.push((off, Tok::Str(s)));
                i = j + 1;
            }
            '0'..='9' => {
                let mut j = i;
                let mut s = String::new();
                while j < chars.len() && (chars[j].1.is_ascii_digit() || chars[j].1 == '.') {
                    s.push(chars[j].1);
                    j += 1;
                }
                let n = s.parse::<f64>().map_err(|_| err(off, "bad number"))?;
                out.push((off, Tok::Num(n)));
                i = j;
            }
            '.' => {
                out.push((off, Tok::Dot));
                i += 1;
            }
            '(' => {
                out.push((off, Tok::LParen));
                i += 1;
            }
            ')' => {
                out.push((off, Tok::RParen));
                i += 1;
            }
            ',' => {
                out.push((off, Tok::Comma));
                i += 1;
            }
            '=' => {
                out.push((off, Tok::Op("=")));
                i += 1;
            }
            '!' | '<' | '>' => {
                let eq = chars.get(i + 1).map(|x| x.1) == Some('=');
                let op = match (c, eq) {
                    ('!', true) => "!=",
                    ('<', true) => "<=",
                    ('>', true) => ">=",
                    ('<', false) => "<",
                    ('>', false) => ">",
                    _ => return Err(err(off, "unexpected `!` (use `not` or `!=`)")),
                };
                out.push((off, Tok::Op(op)));
                i += if eq { 2 } else { 1 };
            }
            '+' => {
                out.push((off, Tok::Op("+")));
                i += 1;
            }
            '-' => {
                out.push((off, Tok::Op("-")));
                i += 1;
            }
            '*' => {
                out.push((off, Tok::Op("*")));
                i += 1;
            }
            '/' => {
                out.push((off, Tok::Op("/")));
                i += 1;
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut j = i;
                let mut s = String::new();
                while j < chars.len() && (chars[j].1.is_ascii_alphanumeric() || chars[j].1 == '_') {
                    s.push(chars[j].1);
                    j += 1;
                }
                out.push((off, Tok::Ident(s)));
                i = j;
            }
            _ => return Err(err(off, &format!("unexpected character `{c}`"))),
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    end: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.1)
    }
    fn offset(&self) -> usize {
        self.toks.get(self.pos).map(|t| t.0).unwrap_or(self.end)
    }
    fn err<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError { offset: self.offset(), message: message.into() })
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).map(|t| t.1.clone());
        self.pos += 1;
        t
    }
    fn is_ident(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(w)) if w == word)
    }
    fn expect_token(&mut self, tok: Tok, what: &str) -> Result<(), ParseError> {
        if self.peek() == Some(&tok) {
            self.pos += 1;
            Ok(())
        } else {
            self.err(format!("expected {what}"))
        }
    }
    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH { self.err("expression nested too deeply") } else { Ok(()) }
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        self.enter()?;
        let mut left = self.and()?;
        while self.is_ident("or") {
            self.pos += 1;
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        self.depth -= 1;
        Ok(left)
    }
    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.not()?;
        while self.is_ident("and") {
            self.pos += 1;
            let right = self.not()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }
    fn not(&mut self) -> Result<Expr, ParseError> {
        if self.is_ident("not") {
            self.pos += 1;
            self.enter()?;
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.compare()
    }
    fn compare(&mut self) -> Result<Expr, ParseError> {
        let left = self.sum()?;
        let op = match self.peek() {
            Some(Tok::Op("=")) => CmpOp::Eq,
            Some(Tok::Op("!=")) => CmpOp::Ne,
            Some(Tok::Op("<")) => CmpOp::Lt,
            Some(Tok::Op("<=")) => CmpOp::Le,
            Some(Tok::Op(">")) => CmpOp::Gt,
            Some(Tok::Op(">=")) => CmpOp::Ge,
            _ => return Ok(left),
        };
        self.pos += 1;
        let right = self.sum()?;
        Ok(Expr::Cmp(op, Box::new(left), Box::new(right)))
    }
    fn sum(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.product()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Op("+")) => ArithOp::Add,
                Some(Tok::Op("-")) => ArithOp::Sub,
                _ => return Ok(left),
            };
            self.pos += 1;
            let right = self.product()?;
            left = Expr::Arith(op, Box::new(left), Box::new(right));
        }
    }
    fn product(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Op("*")) => ArithOp::Mul,
                Some(Tok::Op("/")) => ArithOp::Div,
                _ => return Ok(left),
            };
            self.pos += 1;
            let right = self.unary()?;
            left = Expr::Arith(op, Box::new(left), Box::new(right));
        }
    }
    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.peek() == Some(&Tok::Op("-")) {
            self.pos += 1;
            self.enter()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Neg(Box::new(inner)));
        }
        self.primary()
    }
    fn reference(&mut self) -> Result<String, ParseError> {
        match self.next() {
            Some(Tok::Ref(name)) => Ok(name),
            _ => {
                self.pos = self.pos.saturating_sub(1);
                self.err("expected a reference like ${question}")
            }
        }
    }
    fn primary(&mut self) -> Result<Expr, ParseError> {
        let start = self.pos;
        match self.next() {
            Some(Tok::Num(n)) => Ok(Expr::Num(n)),
            Some(Tok::Str(s)) => Ok(Expr::Str(s)),
            Some(Tok::Ref(r)) => Ok(Expr::Ref(r)),
            Some(Tok::Dot) => Ok(Expr::Current),
            Some(Tok::LParen) => {
                let e = self.or()?;
                self.expect_token(Tok::RParen, "`)`")?;
                Ok(e)
            }
            Some(Tok::Ident(word)) => match word.as_str() {
                "true" => Ok(Expr::Bool(true)),
                "false" => Ok(Expr::Bool(false)),
                "selected" => {
                    self.expect_token(Tok::LParen, "`(` after selected")?;
                    let r = self.reference()?;
                    self.expect_token(Tok::Comma, "`,`")?;
                    let v = match self.next() {
                        Some(Tok::Str(s)) => s,
                        _ => {
                            self.pos -= 1;
                            return self.err("expected a 'value' in selected()");
                        }
                    };
                    self.expect_token(Tok::RParen, "`)`")?;
                    Ok(Expr::Selected(r, v))
                }
                "count" => {
                    self.expect_token(Tok::LParen, "`(` after count")?;
                    let r = self.reference()?;
                    self.expect_token(Tok::RParen, "`)`")?;
                    Ok(Expr::Count(r))
                }
                "if" => {
                    self.expect_token(Tok::LParen, "`(` after if")?;
                    let c = self.or()?;
                    self.expect_token(Tok::Comma, "`,`")?;
                    let a = self.or()?;
                    self.expect_token(Tok::Comma, "`,`")?;
                    let b = self.or()?;
                    self.expect_token(Tok::RParen, "`)`")?;
                    Ok(Expr::If(Box::new(c), Box::new(a), Box::new(b)))
                }
                other => {
                    self.pos = start;
                    self.err(format!("unknown word `{other}` (references are written ${{id}})"))
                }
            },
            _ => {
                self.pos = start;
                self.err("expected a value")
            }
        }
    }
}

/// Parse an expression. Never panics; deeply nested or over-long sources are errors.
pub fn parse(src: &str) -> Result<Expr, ParseError> {
    if src.len() > MAX_SOURCE {
        return Err(ParseError { offset: 0, message: format!("expression longer than {MAX_SOURCE} bytes") });
    }
    let toks = tokenize(src)?;
    if toks.is_empty() {
        return Err(ParseError { offset: 0, message: "empty expression".into() });
    }
    let mut p = Parser { toks, pos: 0, end: src.len(), depth: 0 };
    let e = p.or()?;
    if p.pos < p.toks.len() {
        return p.err("unexpected text after the expression");
    }
    Ok(e)
}

impl Expr {
    /// Every `${id}` the expression refers to, in order.
    pub fn refs(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_refs(&mut out);
        out
    }

    fn collect_refs(&self, out: &mut Vec<String>) {
        match self {
            Expr::Ref(r) | Expr::Selected(r, _) | Expr::Count(r) => out.push(r.clone()),
            Expr::Not(a) | Expr::Neg(a) => a.collect_refs(out),
            Expr::And(a, b) | Expr::Or(a, b) | Expr::Cmp(_, a, b) | Expr::Arith(_, a, b) => {
                a.collect_refs(out);
                b.collect_refs(out);
            }
            Expr::If(a, b, c) => {
                a.collect_refs(out);
                b.collect_refs(out);
                c.collect_refs(out);
            }
            Expr::Num(_) | Expr::Str(_) | Expr::Bool(_) | Expr::Current => {}
        }
    }

    /// Does the expression use `.`?
    pub fn uses_current(&self) -> bool {
        match self {
            Expr::Current => true,
            Expr::Not(a) | Expr::Neg(a) => a.uses_current(),
            Expr::And(a, b) | Expr::Or(a, b) | Expr::Cmp(_, a, b) | Expr::Arith(_, a, b) => {
                a.uses_current() || b.uses_current()
            }
            Expr::If(a, b, c) => a.uses_current() || b.uses_current() || c.uses_current(),
            _ => false,
        }
    }

    pub fn eval(&self, ctx: &dyn Context) -> Value {
        match self {
            Expr::Num(n) => Value::Num(*n),
            Expr::Str(s) => Value::Str(s.clone()),
            Expr::Bool(b) => Value::Bool(*b),
            Expr::Ref(r) => ctx.value(r),
            Expr::Current => ctx.current(),
            Expr::Not(a) => Value::Bool(!a.eval(ctx).truthy()),
            Expr::And(a, b) => Value::Bool(a.eval(ctx).truthy() && b.eval(ctx).truthy()),
            Expr::Or(a, b) => Value::Bool(a.eval(ctx).truthy() || b.eval(ctx).truthy()),
            Expr::Cmp(op, a, b) => Value::Bool(compare(*op, &a.eval(ctx), &b.eval(ctx))),
            Expr::Arith(op, a, b) => {
                let (Some(x), Some(y)) = (a.eval(ctx).as_num(), b.eval(ctx).as_num()) else {
                    return Value::Null;
                };
                let r = match op {
                    ArithOp::Add => x + y,
                    ArithOp::Sub => x - y,
                    ArithOp::Mul => x * y,
                    ArithOp::Div => {
                        if y == 0.0 {
                            return Value::Null;
                        }
                        x / y
                    }
                };
                if r.is_finite() { Value::Num(r) } else { Value::Null }
            }
            Expr::Neg(a) => match a.eval(ctx).as_num() {
                Some(x) => Value::Num(-x),
                None => Value::Null,
            },
            Expr::Selected(r, v) => Value::Bool(match ctx.value(r) {
                Value::List(l) => l.iter().any(|x| x == v),
                Value::Str(s) => &s == v,
                Value::Bool(b) => (b && v == "yes") || (!b && v == "no"),
                _ => false,
            }),
            Expr::Count(r) => Value::Num(ctx.count(r) as f64),
            Expr::If(c, a, b) => {
                if c.eval(ctx).truthy() {
                    a.eval(ctx)
                } else {
                    b.eval(ctx)
                }
            }
        }
    }
}

fn bool_word(s: &str) -> Option<bool> {
    match s {
        "yes" | "true" => Some(true),
        "no" | "false" => Some(false),
        _ => None,
    }
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Null, Value::Str(s)) | (Value::Str(s), Value::Null) => s.is_empty(),
        (Value::Null, _) | (_, Value::Null) => false,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Bool(x), Value::Str(s)) | (Value::Str(s), Value::Bool(x)) => bool_word(s) == Some(*x),
        (Value::List(l), Value::Str(s)) | (Value::Str(s), Value::List(l)) => l.join(" ") == *s,
        (Value::List(x), Value::List(y)) => x == y,
        _ => match (a.as_num(), b.as_num()) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

fn compare(op: CmpOp, a: &Value, b: &Value) -> bool {
    match op {
        CmpOp::Eq => return equal(a, b),
        CmpOp::Ne => return !equal(a, b),
        _ => {}
    }
    if matches!(a, Value::Null) || matches!(b, Value::Null) {
        return false;
    }
    let ord = match (a, b) {
        (Value::Str(x), Value::Str(y)) => match (a.as_num(), b.as_num()) {
            (Some(x), Some(y)) => x.partial_cmp(&y),
            _ => Some(x.cmp(y)),
        },
        _ => match (a.as_num(), b.as_num()) {
            (Some(x), Some(y)) => x.partial_cmp(&y),
            _ => None,
        },
    };
    let Some(ord) = ord else { return false };
    match op {
        CmpOp::Lt => ord.is_lt(),
        CmpOp::Le => ord.is_le(),
        CmpOp::Gt => ord.is_gt(),
        CmpOp::Ge => ord.is_ge(),
        CmpOp::Eq | CmpOp::Ne => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Ctx(HashMap<&'static str, Value>);
    impl Context for Ctx {
        fn value(&self, id: &str) -> Value {
            self.0.get(id).cloned().unwrap_or(Value::Null)
        }
        fn count(&self, id: &str) -> usize {
            match self.0.get(id) {
                Some(Value::List(l)) => l.len(),
                Some(Value::Null) | None => 0,
                _ => 1,
            }
        }
    }

    fn ev(src: &str) -> Value {
        let ctx = Ctx(HashMap::from([
            ("gpa", Value::Num(1.5)),
            ("kinds", Value::List(vec!["sport".into(), "art".into()])),
            ("alone", Value::Bool(true)),
            ("name", Value::Str("x".into())),
        ]));
        parse(src).map(|e| e.eval(&ctx)).unwrap_or(Value::Str("PARSE ERROR".into()))
    }

    #[test]
    fn evaluates() {
        assert_eq!(ev("${gpa} < 2 and ${gpa} >= 1"), Value::Bool(true));
        assert_eq!(ev("not (${gpa} > 2) or ${x} = 1"), Value::Bool(true));
        assert_eq!(ev("selected(${kinds}, 'art')"), Value::Bool(true));
        assert_eq!(ev("count(${kinds}) = 2"), Value::Bool(true));
        assert_eq!(ev("${alone} = 'yes'"), Value::Bool(true));
        assert_eq!(ev("${missing} = ''"), Value::Bool(true));
        assert_eq!(ev("${missing} < 3"), Value::Bool(false));
        assert_eq!(ev("${gpa} * 2 + 1"), Value::Num(4.0));
        assert_eq!(ev("${gpa} / 0"), Value::Null);
        assert_eq!(ev("if(${gpa} > 1, 'a', 'b')"), Value::Str("a".into()));
        assert_eq!(ev("-${gpa}"), Value::Num(-1.5));
    }

    #[test]
    fn rejects() {
        for bad in ["", "${", "${}", "1 +", "(1", "foo(1)", "1 ! 2", "'abc", "selected(1, 'a')", "1 2"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(parse(&"(".repeat(500)).is_err());
        assert!(parse(&"not ".repeat(300)).is_err());
        assert!(parse(&"-".repeat(300)).is_err());
    }

    #[test]
    fn refs_in_order() {
        let e = parse("${a} = 1 and selected(${b}, 'x') or count(${c}) > 0").unwrap_or(Expr::Bool(false));
        assert_eq!(e.refs(), vec!["a", "b", "c"]);
    }
}
