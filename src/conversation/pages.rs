//! Paging long lists of people on buttons: a school may have 60 teachers, a phone screen shows about eight
//! buttons comfortably. One page size and one ◀ ▶ row for every people picker.

use super::Button;

/// People per page of a picker.
pub const PEOPLE_PER_PAGE: usize = 8;

/// The items on `page` (clamped to the last page), the page shown and how many pages there are.
pub fn page_of<T>(items: &[T], page: usize, per_page: usize) -> (&[T], usize, usize) {
    let pages = items.len().div_ceil(per_page).max(1);
    let page = page.min(pages - 1);
    let start = page * per_page;
    let end = (start + per_page).min(items.len());
    (&items[start.min(end)..end], page, pages)
}

/// ◀ and ▶ buttons around the page number; empty when everything fits on one page.
pub fn nav_row(page: usize, pages: usize, make: impl Fn(usize, String) -> Button) -> Vec<Button> {
    if pages <= 1 {
        return vec![];
    }
    let mut row = vec![];
    if page > 0 {
        row.push(make(page - 1, format!("◀ {}/{pages}", page)));
    }
    if page + 1 < pages {
        row.push(make(page + 1, format!("{}/{pages} ▶", page + 2)));
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_everything_once() {
        let people: Vec<usize> = (0..21).collect();
        let (first, page, pages) = page_of(&people, 0, 8);
        assert_eq!((first.len(), page, pages), (8, 0, 3));
        let (last, page, _) = page_of(&people, 99, 8);
        assert_eq!((last, page), (&people[16..], 2));
        let (none, page, pages) = page_of::<usize>(&[], 3, 8);
        assert_eq!((none.len(), page, pages), (0, 0, 1));
        let b = |p: usize, t: String| Button { text: t, data: p.to_string() };
        assert!(nav_row(0, 1, b).is_empty());
        let row = nav_row(1, 3, b);
        assert_eq!(row.iter().map(|b| b.data.as_str()).collect::<Vec<_>>(), ["0", "2"]);
    }
}
