package org.hnswcodec.codec;

import java.io.IOException;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LogDocMergePolicy;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;
import org.hnswcodec.disk.OffHeapGraph;
import org.hnswcodec.search.EfSearchStrategy;
import org.hnswcodec.testutil.RowVectors;
import org.hnswcodec.testutil.VectorSet;

/**
 * {@link HnswCodecScalarQuantizedVectorsFormat}: registration, parameters, that its searches score
 * the quantized vectors (and only its searches: its graphs are those of the float format), and its
 * recall on the bundled SIFT set (9,900 base vectors, 100 queries, exact ground truth).
 */
public class ScalarQuantizedFormatTest extends LuceneTestCase {

  private static final String FIELD = "v";
  private static final int K = 10;

  public void testRegisteredByNameWithItsParameters() {
    assertTrue(
        KnnVectorsFormat.forName("HnswCodecScalarQuantized10")
            instanceof HnswCodecScalarQuantizedVectorsFormat);
    HnswCodecScalarQuantizedVectorsFormat defaults = new HnswCodecScalarQuantizedVectorsFormat();
    assertEquals(16, defaults.maxConn());
    assertEquals(100, defaults.beamWidth());
    assertEquals(100, defaults.defaultEf());
    assertEquals(650, defaults.minGraphSize());
    String s =
        new HnswCodecScalarQuantizedVectorsFormat(ScalarEncoding.PACKED_NIBBLE, 12, 150)
            .toString();
    assertTrue(
        s,
        s.startsWith(
            "HnswCodecScalarQuantized10(maxConn=12, beamWidth=150, defaultEf=100, buildWorkers=1,"
                + " minGraphSize=650, flatVectorFormat=Lucene104ScalarQuantizedVectorsFormat("));
    assertTrue(s, s.contains("encoding=PACKED_NIBBLE"));
    // merges read the raw vectors back as Lucene99's flat format (HnswCodecVectorsFormat's
    // FLAT_VECTORS_FORMAT), which holds only while Lucene's quantized format writes them so
    assertTrue(s, s.contains("rawVectorFormat=Lucene99FlatVectorsFormat("));
    assertEquals(
        ScalarEncoding.PACKED_NIBBLE,
        new HnswCodecScalarQuantizedVectorsFormat(ScalarEncoding.PACKED_NIBBLE, 12, 150)
            .encoding());
    assertEquals(ScalarEncoding.UNSIGNED_BYTE, defaults.encoding());
    IllegalArgumentException e =
        expectThrows(
            IllegalArgumentException.class,
            () -> new HnswCodecScalarQuantizedVectorsFormat(null, 16, 100));
    assertEquals("encoding must not be null", e.getMessage());
    e =
        expectThrows(
            IllegalArgumentException.class,
            () -> new HnswCodecScalarQuantizedVectorsFormat(ScalarEncoding.SEVEN_BIT, 1, 100));
    assertEquals("maxConn (M) must be >= 2 and <= 512; got 1", e.getMessage());
  }

  /**
   * Searches return the quantized vectors' estimates of the similarity, not the exact similarity
   * that the float format returns; for a COSINE field of unit-length vectors too, which the float
   * format scores as a dot product over the raw vectors. The estimates are close.
   */
  public void testSearchesScoreTheQuantizedVectors() throws IOException {
    for (VectorSimilarityFunction similarity :
        new VectorSimilarityFunction[] {
          VectorSimilarityFunction.EUCLIDEAN, VectorSimilarityFunction.COSINE
        }) {
      float[][] vectors = VectorSet.clustered(random(), 1000, 32, 8);
      if (similarity == VectorSimilarityFunction.COSINE) {
        for (float[] vector : vectors) {
          VectorUtil.l2normalize(vector);
        }
      }
      float[] query = vectors[random().nextInt(vectors.length)].clone();
      query[0] += 0.25f;
      float exactMaxError = 0;
      float quantizedMaxError = 0;
      for (boolean quantized : new boolean[] {false, true}) {
        KnnVectorsFormat format =
            quantized
                ? new HnswCodecScalarQuantizedVectorsFormat(
                    ScalarEncoding.SEVEN_BIT, 16, 100, 100, 1, null, 0)
                : new HnswCodecVectorsFormat(16, 100, 100, 1, null, 0);
        try (Directory dir = newDirectory()) {
          index(dir, format, vectors, similarity, vectors.length);
          try (DirectoryReader reader = DirectoryReader.open(dir)) {
            LeafReader leaf = getOnlyLeafReader(reader);
            Map<String, Long> offHeap = offHeapBytes(leaf);
            assertEquals(quantized, offHeap.containsKey("veq"));
            TopDocs hits =
                new IndexSearcher(reader)
                    .search(
                        new KnnFloatVectorQuery(FIELD, query, K, null, new EfSearchStrategy(64)),
                        K);
            assertEquals(K, hits.scoreDocs.length);
            int[] rows = RowVectors.rows(reader, hits);
            float maxError = 0;
            for (int i = 0; i < rows.length; i++) {
              float exact = similarity.compare(query, vectors[rows[i]]);
              maxError = Math.max(maxError, Math.abs(hits.scoreDocs[i].score - exact));
            }
            if (quantized) {
              quantizedMaxError = maxError;
            } else {
              exactMaxError = maxError;
            }
          }
        }
      }
      assertTrue(similarity + ": float format off by " + exactMaxError, exactMaxError < 1e-5f);
      assertTrue(
          similarity + ": quantized scores off by " + quantizedMaxError,
          quantizedMaxError > 1e-4f && quantizedMaxError < 0.1f);
    }
  }

  /**
   * Graphs are built over the float vectors, at flush and at merge, so the quantized format
   * writes, link for link, the graphs the float format writes from the same vectors, under every
   * similarity. (Lucene's quantizer centres the buffered vectors in place as it writes them, which
   * leaves Euclidean distances as they were but not the others: a graph built after it would
   * differ.)
   */
  public void testGraphsAreTheFloatFormatsGraphs() throws IOException {
    for (VectorSimilarityFunction similarity : VectorSimilarityFunction.values()) {
      float[][] vectors = VectorSet.clustered(random(), 1500, 16, 8);
      if (similarity == VectorSimilarityFunction.DOT_PRODUCT
          || similarity == VectorSimilarityFunction.COSINE) {
        for (float[] vector : vectors) {
          VectorUtil.l2normalize(vector);
        }
      }
      KnnVectorsFormat floatFormat = new HnswCodecVectorsFormat();
      KnnVectorsFormat quantizedFormat = new HnswCodecScalarQuantizedVectorsFormat();
      // the same kind of directory for both: merges score the vectors read back from it, through
      // Lucene's off-heap scorer on a memory-mapped file and on heap copies otherwise, whose
      // roundings differ, and so can build graphs that differ
      long directorySeed = random().nextLong();
      try (Directory floats = newDirectory(new Random(directorySeed));
          Directory quantized = newDirectory(new Random(directorySeed))) {
        index(floats, floatFormat, vectors, similarity, 750);
        index(quantized, quantizedFormat, vectors, similarity, 750);
        assertSameGraphs(floats, quantized, 2);
        for (Directory dir : new Directory[] {floats, quantized}) {
          KnnVectorsFormat format = dir == floats ? floatFormat : quantizedFormat;
          // merged in document order: the default policy orders segments by bytes, which the
          // two formats' segments differ in, and so would number the merged nodes differently
          IndexWriterConfig config =
              new IndexWriterConfig()
                  .setCodec(new HnswCodec(format))
                  .setMergePolicy(new LogDocMergePolicy());
          try (IndexWriter writer = new IndexWriter(dir, config)) {
            writer.forceMerge(1);
          }
        }
        assertSameGraphs(floats, quantized, 1);
      }
    }
  }

  private static void assertSameGraphs(Directory floats, Directory quantized, int segments)
      throws IOException {
    try (DirectoryReader a = DirectoryReader.open(floats);
        DirectoryReader b = DirectoryReader.open(quantized)) {
      assertEquals(segments, a.leaves().size());
      assertEquals(segments, b.leaves().size());
      for (int leaf = 0; leaf < segments; leaf++) {
        LeafReader floatLeaf = a.leaves().get(leaf).reader();
        LeafReader quantizedLeaf = b.leaves().get(leaf).reader();
        assertEquals(
            GraphInspector.params(floatLeaf, FIELD).unitLength(),
            GraphInspector.params(quantizedLeaf, FIELD).unitLength());
        OffHeapGraph expected = GraphInspector.graph(floatLeaf, FIELD);
        OffHeapGraph actual = GraphInspector.graph(quantizedLeaf, FIELD);
        assertEquals(1500 / segments, expected.size());
        assertEquals(expected.size(), actual.size());
        assertEquals(expected.topLevel(), actual.topLevel());
        assertEquals(expected.entryNode(), actual.entryNode());
        int[] expectedNeighbors = new int[expected.maxConn(0)];
        int[] actualNeighbors = new int[actual.maxConn(0)];
        for (int level = 0; level <= expected.topLevel(); level++) {
          for (int node : expected.nodesOnLevel(level)) {
            int degree = expected.neighbors(level, node, expectedNeighbors);
            assertEquals(degree, actual.neighbors(level, node, actualNeighbors));
            for (int i = 0; i < degree; i++) {
              assertEquals(expectedNeighbors[i], actualNeighbors[i]);
            }
          }
        }
      }
    }
  }

  /**
   * Recall@10 on SIFT after merging four segments, with 8 and 4 bits a component: 8 bits lose a
   * little against the float format (0.984 at ef=32 after {@code SiftRecallTest}'s merge), 4 bits
   * lose more than a wider beam wins back, and rescoring an oversampled search with the float
   * vectors, as the README shows, recovers it.
   */
  public void testSiftRecall() throws IOException {
    float[][] base = VectorSet.siftBase();
    float[][] queries = VectorSet.siftQueries();
    int[][] truth = VectorSet.siftGroundTruth();
    for (ScalarEncoding encoding :
        new ScalarEncoding[] {ScalarEncoding.UNSIGNED_BYTE, ScalarEncoding.PACKED_NIBBLE}) {
      KnnVectorsFormat format = new HnswCodecScalarQuantizedVectorsFormat(encoding, 16, 100);
      try (Directory dir = newFSDirectory(createTempDir())) {
        index(dir, format, base, VectorSimilarityFunction.EUCLIDEAN, base.length / 4 + 1);
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
          assertEquals(4, reader.leaves().size());
        }
        try (IndexWriter writer =
            new IndexWriter(dir, new IndexWriterConfig().setCodec(new HnswCodec(format)))) {
          writer.forceMerge(1);
        }
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
          assertEquals(1, reader.leaves().size());
          double atEf32 = recall(reader, queries, truth, 32, 1);
          double atEf128 = recall(reader, queries, truth, 128, 1);
          double rescored = recall(reader, queries, truth, 32, 3);
          String at = encoding + " recall@10 after merging, ";
          if (encoding == ScalarEncoding.UNSIGNED_BYTE) {
            // measured 0.977, 0.987, 0.988
            assertTrue(at + "ef=32: " + atEf32, atEf32 >= 0.965);
            assertTrue(at + "ef=128: " + atEf128, atEf128 >= 0.975);
            assertTrue(at + "rescored: " + rescored, rescored >= 0.975);
          } else {
            // measured 0.863, 0.869, 0.982
            assertTrue(at + "ef=32: " + atEf32, atEf32 >= 0.84 && atEf32 < 0.9);
            assertTrue(at + "ef=128: " + atEf128, atEf128 >= 0.845 && atEf128 < 0.9);
            assertTrue(at + "rescored: " + rescored, rescored >= 0.97);
          }
        }
      }
    }
  }

  /** Indexes {@code vectors} with a row number each, flushing every {@code perSegment}. */
  private static void index(
      Directory dir,
      KnnVectorsFormat format,
      float[][] vectors,
      VectorSimilarityFunction similarity,
      int perSegment)
      throws IOException {
    IndexWriterConfig config =
        new IndexWriterConfig()
            .setCodec(new HnswCodec(format))
            .setMergePolicy(NoMergePolicy.INSTANCE)
            .setRAMBufferSizeMB(512);
    try (IndexWriter writer = new IndexWriter(dir, config)) {
      RowVectors.addAll(writer, FIELD, vectors, similarity, perSegment);
    }
  }

  private static Map<String, Long> offHeapBytes(LeafReader leaf) {
    KnnVectorsReader reader = ((CodecReader) leaf).getVectorReader();
    if (reader instanceof PerFieldKnnVectorsFormat.FieldsReader perField) {
      reader = perField.getFieldReader(FIELD);
    }
    return reader.getOffHeapByteSize(leaf.getFieldInfos().fieldInfo(FIELD));
  }

  /**
   * Mean recall@10 over the queries at this ef, asking for {@code oversample * K} hits and, if
   * more than K, rescoring them with the float vectors and keeping the best K.
   */
  private static double recall(
      DirectoryReader reader, float[][] queries, int[][] truth, int ef, int oversample)
      throws IOException {
    return RowVectors.recall(
        new IndexSearcher(reader),
        queries,
        truth,
        K,
        target -> {
          Query knn =
              new KnnFloatVectorQuery(
                  FIELD, target, oversample * K, null, new EfSearchStrategy(ef));
          return oversample > 1
              ? RescoreTopNQuery.createFullPrecisionRescorerQuery(knn, target, FIELD, K)
              : knn;
        });
  }
}
