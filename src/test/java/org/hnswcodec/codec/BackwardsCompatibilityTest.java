package org.hnswcodec.codec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnByteVectorQuery;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;
import org.hnswcodec.examples.ExactNeighbors;
import org.hnswcodec.search.EfSearchStrategy;
import org.hnswcodec.testutil.VectorSet;

/**
 * Segments written by earlier versions of the format still open, search and merge.
 *
 * <p>{@code index-v0.zip} holds the first 500 bundled SIFT base vectors, indexed by {@code new
 * HnswCodec()} at commit bb98524 (format version 0: neighbour records as group-varint gaps) in
 * two segments of 250 without merging, each document with a float field {@code floats} and a byte
 * field {@code bytes} (each component minus 128), both EUCLIDEAN, and its row as a stored field
 * {@code row}.
 *
 * <p>{@code index-v1.zip} holds the same, indexed at commit 5b7318c (format version 1: bit-packed
 * gaps, no unit-length flag), with a third field {@code unit}: each vector normalised to unit
 * length, COSINE.
 *
 * <p>{@code index-v2.zip} holds the same again, indexed at commit 0de12a4 (format version 2: the
 * unit-length flag; every field with vectors has a graph).
 *
 * <p>{@code index-v3.zip} holds the same fields and rows, indexed at commit c139d79 (format version
 * 3: packed gaps, and segments may have no graph): rows 0..249 with a {@code minGraphSize} of 0, so
 * with graphs, then rows 250..499 by a second writer with the default (650), so without.
 *
 * <p>{@code index-v4.zip} holds the same as {@code index-v3.zip}, indexed at commit 1225705
 * (format version 4: upper-layer neighbours by position on their layer).
 *
 * <p>{@code index-sq-v3.zip} holds the same fields and rows in two segments of 250 with graphs,
 * indexed at commit 8d9e378 by {@link HnswCodecScalarQuantizedVectorsFormat} (8 bits, {@code
 * minGraphSize} 0; format version 3).
 */
public class BackwardsCompatibilityTest extends LuceneTestCase {

  private static final int COUNT = 500;
  private static final int K = 10;

  public void testVersionZeroSearchesAndMerges() throws IOException {
    Path path = createTempDir();
    unzip("index-v0.zip", path);
    try (Directory dir = FSDirectory.open(path)) {
      assertVersions(dir, HnswCodecVectorsFormat.VERSION_START);
      TestUtil.checkIndex(dir);
      // measured: 1.0 for both fields (ef=10 walks each segment's graph of 250 nodes)
      assertRecall(dir, 0.95);
      forceMerge(dir, 0);
      assertVersions(dir, HnswCodecVectorsFormat.VERSION_CURRENT);
      TestUtil.checkIndex(dir);
      // measured: 0.965 for both fields (one graph of 500 nodes now, still ef=10)
      assertRecall(dir, 0.95);
    }
  }

  /**
   * Version 1 recorded no unit-length flag: its cosine fields are scored as cosine until a merge
   * writes them again, finds their vectors of unit length and marks them.
   */
  public void testVersionOneSearchesAndMergesAndMarksUnitLengthVectors() throws IOException {
    Path path = createTempDir();
    unzip("index-v1.zip", path);
    try (Directory dir = FSDirectory.open(path)) {
      assertVersions(dir, HnswCodecVectorsFormat.VERSION_PACKED_GAPS);
      TestUtil.checkIndex(dir);
      assertUnitLength(dir, false);
      // measured: 1.0 for all three fields
      assertRecall(dir, 0.95);
      assertUnitRecall(dir, 0.95);
      forceMerge(dir, 0);
      // measured: 0.965 for all three fields
      assertMerged(dir, COUNT, 0.95);
    }
  }

  /**
   * Merges into one segment with the current version. With a {@code minGraphSize} of 0 the
   * fixtures' 500 vectors get a graph, which the merge starts from the old version's graphs; with
   * the default (650) they get none.
   */
  private static void forceMerge(Directory dir, int minGraphSize) throws IOException {
    forceMerge(dir, new HnswCodecVectorsFormat(16, 100, 100, 1, null, minGraphSize));
  }

  private static void forceMerge(Directory dir, KnnVectorsFormat format) throws IOException {
    IndexWriterConfig config = new IndexWriterConfig().setCodec(new HnswCodec(format));
    try (IndexWriter writer = new IndexWriter(dir, config)) {
      writer.forceMerge(1);
    }
  }

  /**
   * Version 2 recorded the unit-length flag and a graph per segment. A merge with the default
   * minGraphSize (650) writes its 500 vectors without a graph, searched by scoring them all.
   */
  public void testVersionTwoSearchesAndMergesIntoASegmentWithoutGraph() throws IOException {
    Path path = createTempDir();
    unzip("index-v2.zip", path);
    try (Directory dir = FSDirectory.open(path)) {
      // measured: 1.0 for all three fields
      assertUnmerged(dir, HnswCodecVectorsFormat.VERSION_UNIT_VECTORS, 250, 250);
      forceMerge(dir, HnswCodecVectorsFormat.DEFAULT_MIN_GRAPH_SIZE);
      // every vector scored: exact
      assertMerged(dir, 0, 1.0);
    }
  }

  /**
   * Version 3 allows a segment without a graph, next to one with. The merge starts from the first
   * segment's graph and inserts the second's vectors. Its upper layers name neighbours by ordinal.
   */
  public void testVersionThreeSearchesAndMergesSegmentsWithAndWithoutGraph() throws IOException {
    assertSearchesAndMergesSegmentsWithAndWithoutGraph(
        "index-v3.zip", HnswCodecVectorsFormat.VERSION_GRAPHLESS_SEGMENTS);
  }

  /**
   * Version 4 names upper-layer neighbours by position on their layer; the same segments as
   * version 3's. While version 4 is also the current version, this holds the reader to bytes
   * written by an earlier commit.
   */
  public void testVersionFourSearchesAndMergesSegmentsWithAndWithoutGraph() throws IOException {
    assertSearchesAndMergesSegmentsWithAndWithoutGraph(
        "index-v4.zip", HnswCodecVectorsFormat.VERSION_LAYER_POSITIONS);
  }

  private void assertSearchesAndMergesSegmentsWithAndWithoutGraph(String zip, int version)
      throws IOException {
    Path path = createTempDir();
    unzip(zip, path);
    try (Directory dir = FSDirectory.open(path)) {
      // measured: 1.0 for all three fields
      assertUnmerged(dir, version, 250, 0);
      forceMerge(dir, 0);
      // measured: 0.96 (floats) and 0.965 (unit), still ef=10 over one graph of 500 nodes
      assertMerged(dir, COUNT, 0.95);
    }
  }

  /**
   * The scalar-quantized format reopens by its name and merges with itself into one graph; its
   * graph files are those of the float format, at the version then current.
   */
  public void testScalarQuantizedFormatSearchesAndMerges() throws IOException {
    Path path = createTempDir();
    unzip("index-sq-v3.zip", path);
    try (Directory dir = FSDirectory.open(path)) {
      // measured: 1.0 (floats and bytes), 0.995 (unit, searched over its quantized copy)
      assertUnmerged(dir, HnswCodecVectorsFormat.VERSION_GRAPHLESS_SEGMENTS, 250, 250);
      forceMerge(
          dir,
          new HnswCodecScalarQuantizedVectorsFormat(
              ScalarEncoding.UNSIGNED_BYTE, 16, 100, 100, 1, null, 0));
      // measured: 0.96 (floats and unit), 0.965 (bytes), still ef=10 over one graph of 500 nodes
      assertMerged(dir, COUNT, 0.95);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        FieldInfo floats = getOnlyLeafReader(reader).getFieldInfos().fieldInfo("floats");
        assertEquals(
            HnswCodecScalarQuantizedVectorsFormat.NAME,
            floats.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY));
      }
    }
  }

  /**
   * A fixture with unit-length cosine vectors as written: its version, a clean {@code CheckIndex},
   * each segment's graph size, and recall of at least 0.95 on all three fields.
   */
  private static void assertUnmerged(Directory dir, int version, int... graphSizes)
      throws IOException {
    assertVersions(dir, version);
    TestUtil.checkIndex(dir);
    assertUnitLength(dir, true);
    assertGraphSizes(dir, graphSizes);
    assertRecall(dir, 0.95);
    assertUnitRecall(dir, 0.95);
  }

  /**
   * After the merge into one segment: the current version, a clean {@code CheckIndex}, the
   * unit-length mark, the graph's size, and recall of at least {@code minRecall} on all three
   * fields.
   */
  private static void assertMerged(Directory dir, int graphSize, double minRecall)
      throws IOException {
    assertVersions(dir, HnswCodecVectorsFormat.VERSION_CURRENT);
    TestUtil.checkIndex(dir);
    assertUnitLength(dir, true);
    assertGraphSizes(dir, graphSize);
    assertRecall(dir, minRecall);
    assertUnitRecall(dir, minRecall);
  }

  /** Asserts each segment's graph size for every field, the segments in commit order. */
  private static void assertGraphSizes(Directory dir, int... nodesPerSegment) throws IOException {
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      assertEquals(nodesPerSegment.length, reader.leaves().size());
      for (LeafReaderContext leaf : reader.leaves()) {
        for (String field : new String[] {"floats", "bytes", "unit"}) {
          assertEquals(
              field,
              nodesPerSegment[leaf.ord],
              GraphInspector.graph(leaf.reader(), field).size());
        }
      }
    }
  }

  private static void assertVersions(Directory dir, int version) throws IOException {
    for (SegmentCommitInfo segment : SegmentInfos.readLatestCommit(dir)) {
      assertEquals(segment.info.name, version, formatVersion(dir, segment));
    }
  }

  private static void assertUnitLength(Directory dir, boolean unitLength) throws IOException {
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      for (LeafReaderContext leaf : reader.leaves()) {
        assertEquals(unitLength, GraphInspector.params(leaf.reader(), "unit").unitLength());
        assertFalse(GraphInspector.params(leaf.reader(), "floats").unitLength());
      }
    }
  }

  private static void assertUnitRecall(Directory dir, double min) throws IOException {
    float[][] base = Arrays.copyOf(VectorSet.siftBase(), COUNT);
    float[][] queries = Arrays.copyOf(VectorSet.siftQueries(), 20);
    VectorSimilarityFunction cosine = VectorSimilarityFunction.COSINE;
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      double recall = 0;
      for (float[] query : queries) {
        Query knn = new KnnFloatVectorQuery("unit", query, K, null, new EfSearchStrategy(K));
        recall +=
            ExactNeighbors.recall(rows(searcher, knn), ExactNeighbors.topK(base, query, K, cosine), K);
      }
      assertTrue("unit recall@10: " + recall / queries.length, recall / queries.length >= min);
    }
  }

  private static void assertRecall(Directory dir, double min) throws IOException {
    float[][] base = Arrays.copyOf(VectorSet.siftBase(), COUNT);
    float[][] queries = Arrays.copyOf(VectorSet.siftQueries(), 20);
    VectorSimilarityFunction l2 = VectorSimilarityFunction.EUCLIDEAN;
    float[][] bytesAsFloats = new float[base.length][];
    for (int i = 0; i < base.length; i++) {
      bytesAsFloats[i] = VectorSet.toFloats(VectorSet.siftAsBytes(base[i]));
    }
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      double floats = 0;
      double bytes = 0;
      EfSearchStrategy ef = new EfSearchStrategy(K);
      for (float[] query : queries) {
        floats +=
            ExactNeighbors.recall(
                rows(searcher, new KnnFloatVectorQuery("floats", query, K, null, ef)),
                ExactNeighbors.topK(base, query, K, l2),
                K);
        byte[] byteQuery = VectorSet.siftAsBytes(query);
        bytes +=
            ExactNeighbors.recall(
                rows(searcher, new KnnByteVectorQuery("bytes", byteQuery, K, null, ef)),
                ExactNeighbors.topK(bytesAsFloats, VectorSet.toFloats(byteQuery), K, l2),
                K);
      }
      assertTrue("float recall@10: " + floats / queries.length, floats / queries.length >= min);
      assertTrue("byte recall@10: " + bytes / queries.length, bytes / queries.length >= min);
    }
  }

  /** The version in the header of the segment's graph metadata file. */
  private static int formatVersion(Directory dir, SegmentCommitInfo segment) throws IOException {
    String name =
        segment.files().stream().filter(f -> f.endsWith(".vem")).findFirst().orElseThrow();
    String suffix = name.substring(name.indexOf('_', 1) + 1, name.lastIndexOf('.'));
    try (IndexInput in = dir.openInput(name, IOContext.READONCE)) {
      return CodecUtil.checkIndexHeader(
          in,
          HnswCodecVectorsFormat.META_CODEC_NAME,
          HnswCodecVectorsFormat.VERSION_START,
          HnswCodecVectorsFormat.VERSION_CURRENT,
          segment.info.getId(),
          suffix);
    }
  }

  private static int[] rows(IndexSearcher searcher, Query query) throws IOException {
    ScoreDoc[] hits = searcher.search(query, K).scoreDocs;
    int[] rows = new int[hits.length];
    for (int i = 0; i < hits.length; i++) {
      rows[i] =
          searcher.storedFields().document(hits[i].doc).getField("row").numericValue().intValue();
    }
    return rows;
  }

  private static void unzip(String resource, Path dir) throws IOException {
    try (InputStream in = BackwardsCompatibilityTest.class.getResourceAsStream(resource);
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        Files.copy(zip, dir.resolve(entry.getName()));
      }
    }
  }
}
