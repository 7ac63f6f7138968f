// Package e2e holds end-to-end tests of this repository's site as readers
// see it: built with loa, then opened in headless Chromium over HTTP (under a
// sub-path, as on the district portal) and straight from disk (file://, as on
// a USB copy).
//
// Set LOA_SCREENSHOTS=DIR to keep screenshots of the pages the tests visit.
package e2e
