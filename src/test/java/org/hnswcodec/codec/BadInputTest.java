package org.hnswcodec.codec;

import java.io.IOException;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnByteVectorField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.Field;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnByteVectorQuery;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.hnswcodec.search.EfKnnFloatVectorQuery;

/**
 * Bad vectors and bad queries get an exception that names the field and the problem, and never
 * damage the index: documents committed before stay, and the index checks clean.
 */
public class BadInputTest extends LuceneTestCase {

  private static final String FIELD = "v";

  private Directory dir;
  private IndexWriter writer;

  @Override
  public void setUp() throws Exception {
    super.setUp();
    dir = newDirectory();
    writer = new IndexWriter(dir, new IndexWriterConfig().setCodec(new HnswCodec()));
    for (int i = 0; i < 20; i++) {
      addGood(i);
    }
    writer.commit();
  }

  @Override
  public void tearDown() throws Exception {
    writer.close();
    dir.close();
    super.tearDown();
  }

  private void addGood(int i) throws IOException {
    Document doc = new Document();
    doc.add(new StringField("id", "good" + i, Field.Store.NO));
    doc.add(new KnnFloatVectorField(FIELD, new float[] {i, 1, 2, 3}, VectorSimilarityFunction.COSINE));
    writer.addDocument(doc);
  }

  /** After a rejected document, the committed documents and the next ones are all there. */
  private void assertIndexIntact() throws IOException {
    addGood(100);
    writer.commit();
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      assertEquals(21, reader.numDocs());
      IndexSearcher searcher = new IndexSearcher(reader);
      assertEquals(21, searcher.search(new KnnFloatVectorQuery(FIELD, new float[] {1, 1, 1, 1}, 50), 50).scoreDocs.length);
    }
    assertTrue(TestUtil.checkIndex(dir).clean);
  }

  /**
   * Lucene's field checks a vector when the field is built but keeps the array, so changing the
   * array afterwards reaches the codec unchecked: the codec must check again.
   */
  public void testNonFiniteComponentRejectedByTheCodec() throws IOException {
    float[] vector = {1, 2, 3, 4};
    Document doc = new Document();
    doc.add(new KnnFloatVectorField(FIELD, vector, VectorSimilarityFunction.COSINE));
    vector[2] = random().nextBoolean() ? Float.NaN : Float.POSITIVE_INFINITY;
    IllegalArgumentException e =
        expectThrows(IllegalArgumentException.class, () -> writer.addDocument(doc));
    assertEquals(
        "field \"v\": vector component 2 is " + vector[2] + "; only finite values can be indexed",
        e.getMessage());
    assertIndexIntact();
  }

  public void testZeroVectorWithCosineRejectedByTheCodec() throws IOException {
    float[] vector = {1, 2, 3, 4};
    Document doc = new Document();
    doc.add(new KnnFloatVectorField(FIELD, vector, VectorSimilarityFunction.COSINE));
    java.util.Arrays.fill(vector, 0);
    IllegalArgumentException e =
        expectThrows(IllegalArgumentException.class, () -> writer.addDocument(doc));
    assertEquals(
        "field \"v\": a zero vector cannot be indexed with COSINE similarity", e.getMessage());
    assertIndexIntact();
  }

  public void testZeroByteVectorWithCosineRejectedByTheCodec() throws IOException {
    byte[] vector = {1, 2, 3};
    Document doc = new Document();
    doc.add(new KnnByteVectorField("b", vector, VectorSimilarityFunction.COSINE));
    java.util.Arrays.fill(vector, (byte) 0);
    IllegalArgumentException e =
        expectThrows(IllegalArgumentException.class, () -> writer.addDocument(doc));
    assertEquals(
        "field \"b\": a zero vector cannot be indexed with COSINE similarity", e.getMessage());
    assertIndexIntact();
  }

  /**
   * A zero byte query on a COSINE field has no cosine with anything (Lucene's gives NaN scores,
   * ranked arbitrarily): the reader rejects it, as it does a zero float query.
   */
  public void testZeroByteQueryWithCosineRejected() throws IOException {
    for (int i = 0; i < 30; i++) {
      Document doc = new Document();
      doc.add(new KnnByteVectorField("b", new byte[] {(byte) i, 1, 2}, VectorSimilarityFunction.COSINE));
      writer.addDocument(doc);
    }
    writer.commit();
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      IllegalArgumentException e =
          expectThrows(
              IllegalArgumentException.class,
              () -> searcher.search(new KnnByteVectorQuery("b", new byte[3], 5), 5));
      assertEquals("field \"b\": a zero query vector has no cosine similarity", e.getMessage());
      assertEquals(5, searcher.search(new KnnByteVectorQuery("b", new byte[] {0, 0, 1}, 5), 5).scoreDocs.length);
    }
  }

  /** Lucene checks these before the codec sees them; the messages name the field. */
  public void testRejectedByLuceneBeforeTheCodec() throws IOException {
    Document wrongDimension = new Document();
    wrongDimension.add(new KnnFloatVectorField(FIELD, new float[] {1, 2, 3}, VectorSimilarityFunction.COSINE));
    IllegalArgumentException e =
        expectThrows(IllegalArgumentException.class, () -> writer.addDocument(wrongDimension));
    assertTrue(e.getMessage(), e.getMessage().contains("\"v\"") && e.getMessage().contains("dimension"));

    Document tooLarge = new Document();
    tooLarge.add(new KnnFloatVectorField("big", new float[HnswCodecVectorsFormat.MAX_DIMENSIONS + 1], VectorSimilarityFunction.EUCLIDEAN));
    e = expectThrows(IllegalArgumentException.class, () -> writer.addDocument(tooLarge));
    assertTrue(e.getMessage(), e.getMessage().contains("big") && e.getMessage().contains("vector's dimensions must be <= [4096]"));

    e = expectThrows(IllegalArgumentException.class, () -> new KnnFloatVectorField(FIELD, new float[] {1, Float.NaN}));
    assertTrue(e.getMessage(), e.getMessage().contains("NaN"));
    assertIndexIntact();
  }

  /** The non-finite check: all finite (the largest float too), else the first bad component. */
  public void testNonFiniteComponents() {
    assertEquals(-1, nonFinite(new float[] {1, -2, 0, 3}));
    assertEquals(-1, nonFinite(new float[] {2e19f, -Float.MAX_VALUE, Float.MIN_VALUE}));
    assertEquals(2, nonFinite(new float[] {1, 2e19f, Float.NaN, Float.POSITIVE_INFINITY}));
    assertEquals(0, nonFinite(new float[] {Float.NEGATIVE_INFINITY, 0}));
    float[] longer = new float[67];
    longer[66] = Float.NaN;
    assertEquals(66, nonFinite(longer));
  }

  private static int nonFinite(float[] vector) {
    return VectorChecks.nonFinite(vector, VectorChecks.largestMagnitude(vector));
  }

  /**
   * Finite components whose squared length leaves the float range: Lucene indexes them, and its
   * inner products then overflow to infinity or NaN (a flush of such vectors once failed in our
   * graph build). Rejected under every similarity: under EUCLIDEAN the distances to vectors of
   * ordinary length overflow.
   */
  public void testSquaredLengthBeyondTheLargestFloatRejected() throws IOException {
    Document huge = new Document();
    huge.add(new KnnFloatVectorField(FIELD, new float[] {1, -2e19f, 2e19f, 3}, VectorSimilarityFunction.COSINE));
    IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> writer.addDocument(huge));
    assertEquals(
        "field \"v\": the vector's squared length, "
            + (2 * (double) 2e19f * 2e19f + 10)
            + ", exceeds the largest float; its similarities cannot be computed",
        e.getMessage());

    Document hugeL2 = new Document();
    hugeL2.add(new KnnFloatVectorField("e", new float[] {3e19f, 3e19f, 3e19f, 3e19f}, VectorSimilarityFunction.EUCLIDEAN));
    e = expectThrows(IllegalArgumentException.class, () -> writer.addDocument(hugeL2));
    assertTrue(e.getMessage(), e.getMessage().startsWith("field \"e\": the vector's squared length, "));

    assertIndexIntact();

    // just inside the range: 2 * 1.3e19^2 = 3.38e38, below the largest float (3.40e38)
    Document large = new Document();
    large.add(new KnnFloatVectorField("e", new float[] {1.3e19f, 1.3e19f, 0, 0}, VectorSimilarityFunction.EUCLIDEAN));
    writer.addDocument(large);
    writer.commit();
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      assertEquals(1, searcher.search(new KnnFloatVectorQuery("e", new float[] {1.3e19f, 1.3e19f, 0, 0}, 5), 5).scoreDocs.length);
    }
  }

  /** Under COSINE a vector whose squared length rounds to zero in float has no direction to compare. */
  public void testCosineSquaredLengthRoundingToZeroRejected() throws IOException {
    Document tiny = new Document();
    tiny.add(new KnnFloatVectorField(FIELD, new float[] {1e-30f, 0, -1e-30f, 0}, VectorSimilarityFunction.COSINE));
    IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> writer.addDocument(tiny));
    assertEquals(
        "field \"v\": the vector's squared length rounds to zero in float (largest component 1.0E-30);"
            + " it has no cosine similarity",
        e.getMessage());
    assertIndexIntact();
  }

  public void testBadQueries() throws IOException {
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      LeafReader leaf = getOnlyLeafReader(reader);
      AcceptDocs all = AcceptDocs.fromLiveDocs(null, leaf.maxDoc());
      IllegalArgumentException e =
          expectThrows(
              IllegalArgumentException.class,
              () -> leaf.searchNearestVectors(FIELD, new float[] {1, 2}, new TopKnnCollector(5, Integer.MAX_VALUE), all));
      assertTrue(e.getMessage(), e.getMessage().contains("dimension"));

      // the reader checks a query that reaches it without Lucene's query, which checks too
      float[] nonFinite = {1, 2, 3, 4};
      nonFinite[1] = random().nextBoolean() ? Float.NaN : Float.NEGATIVE_INFINITY;
      e =
          expectThrows(
              IllegalArgumentException.class,
              () -> leaf.searchNearestVectors(FIELD, nonFinite, new TopKnnCollector(5, Integer.MAX_VALUE), all));
      assertEquals("field \"v\": query vector component 1 is " + nonFinite[1], e.getMessage());

      e =
          expectThrows(
              IllegalArgumentException.class,
              () -> leaf.searchNearestVectors(FIELD, new float[] {1, 2e19f, 2e19f, 1}, new TopKnnCollector(5, Integer.MAX_VALUE), all));
      assertEquals(
          "field \"v\": the query vector's squared length, "
              + (2 * (double) 2e19f * 2e19f + 2)
              + ", exceeds the largest float; its similarities cannot be computed",
          e.getMessage());
      e =
          expectThrows(
              IllegalArgumentException.class,
              () -> leaf.searchNearestVectors(FIELD, new float[] {0, 1e-25f, 0, 0}, new TopKnnCollector(5, Integer.MAX_VALUE), all));
      assertEquals(
          "field \"v\": the query vector's squared length rounds to zero in float (largest component 1.0E-25);"
              + " it has no cosine similarity",
          e.getMessage());

      e = expectThrows(IllegalArgumentException.class, () -> new EfKnnFloatVectorQuery(FIELD, new float[4], 0, 10));
      assertTrue(e.getMessage(), e.getMessage().contains("k must be at least 1"));
      e = expectThrows(IllegalArgumentException.class, () -> new EfKnnFloatVectorQuery(FIELD, new float[4], 10, -1));
      assertEquals("ef must be >= 1; got -1", e.getMessage());
    }
  }
}
