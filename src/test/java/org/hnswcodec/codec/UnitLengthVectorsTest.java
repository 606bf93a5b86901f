package org.hnswcodec.codec;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LogDocMergePolicy;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.VectorUtil;
import org.hnswcodec.examples.ExactNeighbors;
import org.hnswcodec.search.EfSearchStrategy;

/**
 * A COSINE field whose vectors all have unit length is marked so in its segment and scored with a
 * dot product against the normalised query; scores and hits stay those of cosine.
 */
public class UnitLengthVectorsTest extends LuceneTestCase {

  private static final String FIELD = "v";
  private static final int DIMENSION = 24;
  private static final int COUNT = 400;
  private static final int K = 10;

  public void testUnitLengthCosineFieldIsMarkedAndScoresCosine() throws IOException {
    float[][] vectors = unitVectors(new Random(random().nextLong()), COUNT);
    try (Directory dir = newFSDirectory(createTempDir())) {
      index(dir, VectorSimilarityFunction.COSINE, vectors);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertTrue(unitLength(reader));
        // a query of norm about 3: the scorer must normalise it, or each score would be off;
        // a copy, since the array is the caller's
        float[] longQuery = scaled(vectors[7], 3f);
        float[] asGiven = longQuery.clone();
        assertCosineHits(reader, vectors, longQuery);
        assertArrayEquals(asGiven, longQuery, 0f);
        assertCosineHits(reader, vectors, scaled(unitVectors(new Random(1), 1)[0], 0.2f));
        // a unit query is scored as it is
        assertCosineHits(reader, vectors, unitVectors(new Random(2), 1)[0]);
      }
    }
  }

  public void testOneVectorOffUnitLengthLeavesTheFieldUnmarked() throws IOException {
    float[][] vectors = unitVectors(new Random(random().nextLong()), COUNT);
    vectors[123] = scaled(vectors[123], 1.01f);
    try (Directory dir = newFSDirectory(createTempDir())) {
      index(dir, VectorSimilarityFunction.COSINE, vectors);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertFalse(unitLength(reader));
        assertCosineHits(reader, vectors, scaled(vectors[123], 2f));
      }
    }
  }

  public void testOnlyCosineFieldsAreMarked() throws IOException {
    float[][] vectors = unitVectors(new Random(random().nextLong()), 50);
    for (VectorSimilarityFunction similarity :
        new VectorSimilarityFunction[] {
          VectorSimilarityFunction.DOT_PRODUCT,
          VectorSimilarityFunction.EUCLIDEAN,
          VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT
        }) {
      try (Directory dir = newFSDirectory(createTempDir())) {
        index(dir, similarity, vectors);
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
          assertFalse(similarity.toString(), unitLength(reader));
        }
      }
    }
  }

  public void testToleranceOnTheSquaredNorm() {
    float tolerance = HnswCodecVectorsFormat.UNIT_NORM_TOLERANCE;
    assertTrue(UnitLengthVectors.isUnit(withSquaredNorm(1f)));
    assertTrue(UnitLengthVectors.isUnit(withSquaredNorm(1f + tolerance / 2)));
    assertTrue(UnitLengthVectors.isUnit(withSquaredNorm(1f - tolerance / 2)));
    assertFalse(UnitLengthVectors.isUnit(withSquaredNorm(1f + tolerance * 2)));
    assertFalse(UnitLengthVectors.isUnit(withSquaredNorm(1f - tolerance * 2)));
  }

  /** A merge marks the merged field only if every merged vector has unit length. */
  public void testMergedFieldIsMarkedOnlyIfAllMergedVectorsAreUnitLength() throws IOException {
    Random random = new Random(random().nextLong());
    float[][] vectors = unitVectors(random, COUNT);
    try (Directory dir = newFSDirectory(createTempDir())) {
      IndexWriterConfig config =
          new IndexWriterConfig()
              .setCodec(new HnswCodec())
              .setMaxBufferedDocs(COUNT / 4)
              .setMergePolicy(NoMergePolicy.INSTANCE);
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        for (float[] vector : vectors) {
          writer.addDocument(document(VectorSimilarityFunction.COSINE, vector));
        }
      }
      forceMerge(dir);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(1, reader.leaves().size());
        assertTrue(unitLength(reader));
        assertCosineHits(reader, vectors, scaled(vectors[42], 5f));
      }
      // one more segment with a single vector of squared norm 4: the next merge unmarks the field
      float[][] all = Arrays.copyOf(vectors, COUNT + 1);
      all[COUNT] = scaled(unitVectors(random, 1)[0], 2f);
      try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig().setCodec(new HnswCodec()))) {
        writer.addDocument(document(VectorSimilarityFunction.COSINE, all[COUNT]));
      }
      forceMerge(dir);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(1, reader.leaves().size());
        assertFalse(unitLength(reader));
        assertCosineHits(reader, all, all[COUNT]);
      }
    }
  }

  /**
   * A zero query has no direction to normalise, nor a cosine with anything: it is rejected, from
   * a field of unit-length vectors or not.
   */
  public void testZeroQueryIsRejected() throws IOException {
    float[][] vectors = unitVectors(new Random(random().nextLong()), 50);
    float[][] notUnit = vectors.clone();
    notUnit[0] = scaled(vectors[0], 2f);
    for (float[][] indexed : new float[][][] {vectors, notUnit}) {
      try (Directory dir = newFSDirectory(createTempDir())) {
        index(dir, VectorSimilarityFunction.COSINE, indexed);
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
          IndexSearcher searcher = new IndexSearcher(reader);
          IllegalArgumentException e =
              expectThrows(
                  IllegalArgumentException.class,
                  () -> searcher.search(query(new float[DIMENSION]), K));
          assertEquals(
              "field \"v\": a zero query vector has no cosine similarity", e.getMessage());
        }
      }
    }
  }

  private static void assertCosineHits(DirectoryReader reader, float[][] vectors, float[] query)
      throws IOException {
    ScoreDoc[] hits = new IndexSearcher(reader).search(query(query), K).scoreDocs;
    VectorSimilarityFunction cosine = VectorSimilarityFunction.COSINE;
    int[] exact = ExactNeighbors.topK(vectors, query, K, cosine);
    assertEquals(K, hits.length);
    for (int i = 0; i < K; i++) {
      // The searches are exhaustive at this size, so the hits are the exact ones; but a dot
      // product of unit vectors and Lucene's cosine may round two neighbours a float step apart
      // either way, so each rank is checked by its score rather than by its document.
      assertEquals(
          "score at rank " + i, cosine.compare(query, vectors[exact[i]]), hits[i].score, 1e-6);
      assertEquals("score of hit " + i, cosine.compare(query, vectors[hits[i].doc]), hits[i].score, 1e-6);
    }
  }

  private static KnnFloatVectorQuery query(float[] target) {
    return new KnnFloatVectorQuery(FIELD, target, K, null, new EfSearchStrategy(COUNT));
  }

  private static void index(Directory dir, VectorSimilarityFunction similarity, float[][] vectors)
      throws IOException {
    try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig().setCodec(new HnswCodec()))) {
      for (float[] vector : vectors) {
        writer.addDocument(document(similarity, vector));
      }
      writer.forceMerge(1);
    }
  }

  private static void forceMerge(Directory dir) throws IOException {
    IndexWriterConfig config =
        new IndexWriterConfig().setCodec(new HnswCodec()).setMergePolicy(new LogDocMergePolicy());
    try (IndexWriter writer = new IndexWriter(dir, config)) {
      writer.forceMerge(1);
    }
  }

  private static Document document(VectorSimilarityFunction similarity, float[] vector) {
    Document doc = new Document();
    doc.add(new KnnFloatVectorField(FIELD, vector, similarity));
    return doc;
  }

  private static boolean unitLength(DirectoryReader reader) {
    LeafReader leaf = getOnlyLeafReader(reader);
    return GraphInspector.params(leaf, FIELD).unitLength();
  }

  private static float[][] unitVectors(Random random, int count) {
    float[][] vectors = new float[count][DIMENSION];
    for (float[] vector : vectors) {
      for (int i = 0; i < DIMENSION; i++) {
        vector[i] = (float) random.nextGaussian();
      }
      VectorUtil.l2normalize(vector);
    }
    return vectors;
  }

  private static float[] scaled(float[] vector, float factor) {
    float[] scaled = new float[vector.length];
    for (int i = 0; i < vector.length; i++) {
      scaled[i] = vector[i] * factor;
    }
    return scaled;
  }

  /** A vector whose squared norm is {@code squared}, give or take a rounding. */
  private static float[] withSquaredNorm(float squared) {
    float[] vector = new float[DIMENSION];
    vector[0] = (float) Math.sqrt(squared);
    return vector;
  }
}
