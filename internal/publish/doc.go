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
// To keeps .loa-published.json, the manifest of the last publish, and while
// a publish runs, its journal (see Interruptions). These records are claims,
// not proofs: a file in To is loa's only while its content (SHA-256) is one
// the records name for that path. Every other file is foreign: loa never
// removes it, and overwrites it only with Force, and only where the build
// has a file. Each file of the build is then planned as
//
//	new        not in To yet: copied
//	changed    loa's (its content proves it), the build's differs: copied
//	unchanged  loa's, same content as the build: not touched, so server
//	           caches stay valid (not even read when the records say it holds
//	           that content and its size agrees)
//	adopt      foreign but byte-identical to the build: taken over, not copied
//	conflict   foreign and different (someone's file, or loa's file that
//	           someone changed): the publish stops before writing anything,
//	           unless Force is set, and then it is replaced (plan kind "replace")
//
// and each of loa's files that the build no longer has as
//
//	stale      loa's (its content proves it): removed at the end, after
//	           checking its content once more
//	kept       changed by someone since loa published it: left alone, now foreign
//
// A file of the build where To has a folder, or a folder of the build where
// To has a file, is no conflict when what is in the way is loa's: its own
// stale file, or a folder holding only loa's stale files (and folders loa
// made for them). Those are removed first. Anything else in the way stops
// the publish, with or without Force, since Force never removes.
//
// A folder that does not tell upper from lower case (a Windows share, a FAT
// or exFAT stick) is noticed by looking up the lock file under a case-
// flipped name. There "Logo.png" and "logo.png" are one path: a file renamed
// in the build is written over the old one under its new name, never
// removed as stale, and a build holding both names is refused.
//
// Files are written so that a reader never gets a page whose stylesheets,
// scripts or search shards are missing: new assets first, then changed
// assets, then new pages, then changed pages (deepest first, so an index is
// replaced after the pages it links to), and stale files are removed last
// (pages before assets). Every file is written to a new temporary file in
// its own folder (".name.<random>.loa-tmp", created with O_EXCL), synced
// and renamed over the target, so a reader sees the old file or the new
// one, never half of one.
//
// Before it changes anything, Publish checks that it may write in every
// folder it will change (by creating and removing a temporary file there)
// and creates the folders the build needs: a folder it may not write in
// stops the publish with that folder's name, and the site is as it was.
// To may not be From, be inside it, or hold it.
//
// # One publish at a time
//
// While it runs, Publish holds To/.loa-publish.lock, created with O_EXCL
// and naming its process, computer and start time. A second publish into the
// same folder stops and names the first. A lock left by a publish that was
// killed on this computer (no process with its number runs) is taken over;
// a lock from another computer is not, since loa cannot see that computer's
// processes: the message says to remove it once sure. A dry run takes no
// lock and changes nothing.
//
// # Interruptions
//
// Before the first change, Publish appends to To/.loa-publish.journal every
// file it is about to write (path, size and SHA-256) and every temporary
// name it may create, and syncs; after each file it notes that it is done.
// If the run is killed (power cut, Ctrl-C, full disk), the next run reads
// the journal: a file counts as loa's if it holds either its old recorded
// content or the content the journal names, temporary files whose exact
// names the journal lists are removed (a file that merely looks like one is
// someone's), and stale files are removed as usual. Only a run that
// completes writes .loa-published.json and deletes the journal. Running
// loa publish again is therefore always the way to finish an interrupted
// publish.
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
// lines in a source file, so they do not use diag positions. A name that
// holds a character a terminal would act on (ESC, BEL, a newline, a
// bidirectional override) is printed quoted and escaped, Go style, in
// errors, warnings, the plan and the summary: names in a shared folder are
// chosen by whoever may write there.
package publish
