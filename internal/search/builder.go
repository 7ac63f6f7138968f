package search

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"
	"golang.org/x/sync/errgroup"
)

// builderBatch is the number of documents per segment of a fresh index. A
// batch's analysis is most of a build's live heap while indexing, so peak
// memory grows with builderBatch times the batches made at once
// (GOMAXPROCS). All segments are merged in one round: Bleve's builder
// default of merging 10 at a time rewrites every document once more per
// round. Measured with loa build on the generated sites (bench/gensite; peak
// RSS, wall). One batch at a time (Bleve's builder alone): batches of 1,000
// and rounds of 10: 1,000 pages 329 MiB, 5.31 s; 10,000 pages 1.41-1.53 GB,
// 53-55 s; batches of 500 in one round: 1,000 pages 216 MiB, 5.59 s; 10,000
// pages 1.32 GB, 52.1 s. Two at a time (indexDocs, 2 cores): batches of 500:
// 1,000 pages 354-454 MiB; 10,000 pages 1.57 GB, 38.9 s; batches of 250:
// 1,000 pages 248-262 MiB, 0.88 of the wall time of one at a time (median of
// 6 alternated pairs); 10,000 pages 1.22 GB, 42.9 s (50.7 s one at a time).
const builderBatch = 250

// segmentFormat is the segment format of every index loa writes: zap
// version 17, Bleve v2.6's default, named to Bleve's builder so that the
// segments made here and the builder's are one format.
var segmentFormat = &zap.ZapPlugin{}

// indexDocs writes the Bleve index of docs into the new folder indexDir,
// the way Bleve's offline builder (bleve.NewBuilder) does, but with the
// batches on every core: the builder analyses a batch and makes it a
// segment under its lock, one batch at a time, which left one of two cores
// idle for three fifths of a build (about 33 s of 50 s at 10,000 pages).
//
//   - The first batch goes to Bleve's builder, which writes indexDir: the
//     index metadata, root.bolt, and the batch as its only segment.
//   - Every other batch of builderBatch documents is mapped, analysed and
//     made a segment (segmentFormat.New, Persist) by GOMAXPROCS workers at
//     once, what the builder does for each of its batches.
//   - The builder's segment and the others are merged in document order
//     (segmentFormat.Merge, as the builder's own merge) into one segment,
//     renamed over the builder's.
//
// So the index is the one the builder writes when given every document and
// merging in one round: one segment, the same format, the documents in the
// same order. indexDir must not exist; the temporary folder is a sibling of
// indexDir, removed on return; a cancelled build (Ctrl-C) stops between
// documents and leaves no index.
func indexDocs(ctx context.Context, docs []Doc, im mapping.IndexMapping, indexDir string) error {
	if len(docs) == 0 {
		// The builder needs at least one document.
		idx, err := bleve.New(indexDir, im)
		if err != nil {
			return fmt.Errorf("search: create index: %w", err)
		}
		return idx.Close()
	}
	if _, err := os.Lstat(indexDir); !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("search: %s exists already: the index is built into a new folder", indexDir)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(indexDir), ".bleve-build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// The builder writes indexDir (its metadata at once, the segment when it
	// closes): an index that is not whole is removed.
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(indexDir)
		}
	}()

	batches := (len(docs) + builderBatch - 1) / builderBatch
	segPaths := make([]string, batches) // segPaths[0]: the builder's, found after it closed
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for b := 0; b < batches && gctx.Err() == nil; b++ {
		part := docs[b*builderBatch : min(len(docs), (b+1)*builderBatch)]
		if b == 0 {
			g.Go(func() error { return builderIndex(gctx, part, im, indexDir, tmp) })
			continue
		}
		segPaths[b] = filepath.Join(tmp, fmt.Sprintf("batch-%06d.zap", b))
		g.Go(func() error { return batchSegment(gctx, part, im, segPaths[b]) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// bleve.NewBuilder writes its segment into indexDir/store, under the name
	// of a one-batch scorch index.
	final, err := filepath.Glob(filepath.Join(indexDir, "store", "*.zap"))
	if err != nil || len(final) != 1 {
		return fmt.Errorf("search: the builder wrote %d segments into %s, not 1", len(final), indexDir)
	}
	segPaths[0] = final[0]
	if batches > 1 {
		merged := filepath.Join(tmp, "merged.zap")
		if err := mergeSegments(segPaths, merged); err != nil {
			return err
		}
		if err := os.Rename(merged, final[0]); err != nil {
			return err
		}
	}
	ok = true
	return nil
}

// builderIndex writes the index of docs into indexDir with Bleve's offline
// builder, as one batch.
func builderIndex(ctx context.Context, docs []Doc, im mapping.IndexMapping, indexDir, tmp string) error {
	ib, err := bleve.NewBuilder(indexDir, im, map[string]any{
		"batchSize":           len(docs),
		"buildPathPrefix":     tmp,
		"forceSegmentType":    segmentFormat.Type(),
		"forceSegmentVersion": int(segmentFormat.Version()),
	})
	if err != nil {
		return fmt.Errorf("search: create index: %w", err)
	}
	for i, d := range docs {
		if i%100 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := ib.Index(d.ID, bleveDoc(d)); err != nil {
			return fmt.Errorf("search: index %s: %w", d.ID, err)
		}
	}
	if err := ib.Close(); err != nil {
		return fmt.Errorf("search: index: %w", err)
	}
	return nil
}

// batchSegment maps and analyses docs as Bleve's builder does
// (scorch.Builder.executeBatchLOCKED: the _id field, then every indexed
// field analysed and composed into the composite fields) and writes them as
// one segment file at path.
func batchSegment(ctx context.Context, docs []Doc, im mapping.IndexMapping, path string) error {
	analysed := make([]index.Document, 0, len(docs))
	sa := newSharedAnalysis(im)
	for i, d := range docs {
		if i%100 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		doc := document.NewDocument(d.ID)
		if err := im.MapDocument(doc, bleveDoc(d)); err != nil {
			return fmt.Errorf("search: index %s: %w", d.ID, err)
		}
		sa.share(doc)
		doc.AddIDField()
		doc.VisitFields(func(f index.Field) {
			if !f.Options().IsIndexed() {
				return
			}
			f.Analyze()
			if doc.HasComposite() && f.Name() != "_id" {
				doc.VisitComposite(func(cf index.CompositeField) {
					cf.Compose(f.Name(), f.AnalyzedLength(), f.AnalyzedTokenFrequencies())
				})
			}
		})
		analysed = append(analysed, doc)
	}
	seg, _, err := segmentFormat.New(analysed)
	if err != nil {
		return fmt.Errorf("search: make segment: %w", err)
	}
	up, ok := seg.(segment.UnpersistedSegment)
	if !ok {
		return fmt.Errorf("search: a %T segment cannot be written", seg)
	}
	if err := up.Persist(path); err != nil {
		return fmt.Errorf("search: write segment: %w", err)
	}
	return nil
}

// mergeSegments merges the segment files at paths, in order, into one
// segment file at dst (the documents keep their order).
func mergeSegments(paths []string, dst string) error {
	segs := make([]segment.Segment, 0, len(paths))
	defer func() {
		for _, s := range segs {
			s.Close()
		}
	}()
	for _, p := range paths {
		s, err := segmentFormat.Open(p)
		if err != nil {
			return fmt.Errorf("search: open segment %s: %w", p, err)
		}
		segs = append(segs, s)
	}
	if _, _, err := segmentFormat.Merge(segs, make([]*roaring.Bitmap, len(segs)), dst, nil, nil); err != nil {
		return fmt.Errorf("search: merge segments: %w", err)
	}
	return nil
}

// sharedAnalysis analyses the fields of a document as the mapping's
// analyzers do, finding the words of each text once: every analyzer starts
// with Bleve's unicode tokenizer and the sharedFilters filters of its
// language (analyzerFilters), so the four fields of a Vietnamese text
// (words, folded words, pairs, folded pairs) and the two of an English one
// share that work; each analyzer then runs its own filters on a copy of the
// shared tokens. Same tokens, a third less analysis: TestIndexDocsMatchesBuilder
// compares the index with Bleve's builder's.
type sharedAnalysis struct {
	analyzers map[string]*memoAnalyzer // field name -> its analyzer
	memo      map[string]analysis.TokenStream
}

func newSharedAnalysis(im mapping.IndexMapping) *sharedAnalysis {
	sa := &sharedAnalysis{analyzers: map[string]*memoAnalyzer{}, memo: map[string]analysis.TokenStream{}}
	for _, f := range allFields {
		a, ok := im.AnalyzerNamed(f.analyzer).(*analysis.DefaultAnalyzer)
		names := analyzerFilters[f.analyzer]
		if !ok || a.CharFilters != nil || len(a.TokenFilters) != len(names) || len(names) < sharedFilters {
			continue // analysed by the mapping's analyzer alone
		}
		sa.analyzers[f.name] = &memoAnalyzer{a: a, key: strings.Join(names[:sharedFilters], ","), memo: sa.memo}
	}
	return sa
}

// share gives each text field of doc (mapped by the mapping) the memoizing
// analyzer of its field, with the options it was mapped with.
func (sa *sharedAnalysis) share(doc *document.Document) {
	clear(sa.memo)
	for i, f := range doc.Fields {
		tf, ok := f.(*document.TextField)
		if !ok {
			continue
		}
		if a := sa.analyzers[tf.Name()]; a != nil {
			doc.Fields[i] = document.NewTextFieldCustom(tf.Name(), tf.ArrayPositions(), tf.Value(), tf.Options(), a)
		}
	}
}

// memoAnalyzer is a DefaultAnalyzer (no character filters) whose tokenizer
// and first sharedFilters filters run once per text, kept in memo under key.
type memoAnalyzer struct {
	a    *analysis.DefaultAnalyzer
	key  string
	memo map[string]analysis.TokenStream
}

func (m *memoAnalyzer) Analyze(input []byte) analysis.TokenStream {
	k := m.key + "\x00" + string(input)
	base, ok := m.memo[k]
	if !ok {
		base = m.a.Tokenizer.Tokenize(input)
		for _, f := range m.a.TokenFilters[:sharedFilters] {
			base = f.Filter(base)
		}
		m.memo[k] = base
	}
	// The filters that follow change tokens in place.
	out := make(analysis.TokenStream, len(base))
	toks := make([]analysis.Token, len(base))
	for i, t := range base {
		toks[i] = *t
		toks[i].Term = bytes.Clone(t.Term)
		out[i] = &toks[i]
	}
	for _, f := range m.a.TokenFilters[sharedFilters:] {
		out = f.Filter(out)
	}
	return out
}
