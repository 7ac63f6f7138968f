// Package publish ships a built site: it describes the output with a
// manifest, copies it to a folder that a web server serves (loa publish), and
// packs it into one zip for readers without a connection (loa pack).
//
// # The manifest
//
// BuildManifest walks a built site and lists every file with its size and
// SHA-256, sorted by path, under a schema version and the version of loa that
// made it. The builder records it in the build-state folder (.loa/, see
// internal/state), never in the output, and `loa publish` compares the
// output with it (Options.Written). Outputs written before the build-state
// folder existed held it as loa-manifest.json and the Bleve index under
// search/index.bleve/; both are still never listed, so they are neither
// published nor packed.
//
// # Publishing to a folder
//
// Publish compares the site in From with what the folder To already holds.
// To keeps .loa-published.json, the manifest of the last publish: the files
// listed there are loa's; every other file in To is foreign and is never
// changed or removed. Each file of the build is then planned as
//
//	new        not in To yet: copied
//	changed    loa's, content differs (or is unknown after an interruption): copied
//	unchanged  loa's, same content: not touched, so server caches stay valid
//	adopt      foreign but byte-identical to the build: taken over, not copied
//	conflict   foreign and different: the publish stops before writing anything,
//	           unless Force is set, and then it is replaced (plan kind "replace")
//
// and each of loa's files that the build no longer has as
//
//	stale      removed at the end
//	kept       changed by someone since loa published it: left alone, now foreign
//
// Files are written so that a reader never gets a page whose stylesheets,
// scripts or search shards are missing: new assets first, then changed
// assets, then new pages, then changed pages (deepest first, so an index is
// replaced after the pages it links to), and stale files are removed last
// (pages before assets). Every file is written to a temporary name in its
// own folder (".name.loa-tmp"), synced and renamed over the target, so a
// reader sees the old file or the new one, never half of one.
//
// # Interruptions
//
// Before the first write, Publish appends to To/.loa-publish.journal the list
// of files it is about to write, and after each file a line saying it is
// done. If the run is killed (power cut, Ctrl-C, full disk), the next run reads
// the journal: the files listed there count as loa's, files marked done are
// not copied again, and stale files are removed as usual. Only a run that
// completes writes .loa-published.json and deletes the journal. Running
// loa publish again is therefore always the way to finish an interrupted
// publish. Publish never runs twice into the same folder at the same time;
// do not start two.
//
// # Packing
//
// Pack writes the same files as a zip with index.html at the top level. The
// zip is deterministic: entries sorted by path, every entry dated PackTime
// with mode 0644, already-compressed formats stored and the rest deflated, so
// the same site always gives the same bytes.
//
// # Errors
//
// Errors a user sees are *Error values that read "path: what is wrong; what to
// do" and unwrap to their cause. They name folders and files rather than
// lines in a source file, so they do not use diag positions.
package publish
