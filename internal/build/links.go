package build

import (
	"loa/internal/diag"
	"loa/internal/link"
)

// link is the third phase: with every page rendered and its ids known, it
// checks every internal link and citation, and the menus.
func (s *site) link(errs *diag.List) {
	for _, p := range s.pages {
		p.lp.IDs = p.IDs
	}
	for _, p := range s.pages {
		s.links.Check(p.links, errs)
	}
	for _, l := range s.cfg.Languages {
		var items []link.MenuItem
		for _, m := range s.cfg.Menus[l.Code] {
			items = append(items, link.MenuItem{Name: m.Name, URL: m.URL, Pos: m.Pos})
		}
		s.links.CheckMenus(items, errs)
	}
}
