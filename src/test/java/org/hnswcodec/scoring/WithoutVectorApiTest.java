package org.hnswcodec.scoring;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnByteVectorField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnByteVectorQuery;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.hnswcodec.codec.HnswCodec;
import org.hnswcodec.codec.HnswCodecVectorsFormat;
import org.hnswcodec.examples.ExactNeighbors;
import org.hnswcodec.search.EfSearchStrategy;
import org.hnswcodec.testutil.VectorSet;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} never loads our kernels: the
 * flush falls back to Lucene's scorers and the index builds and searches as before. Run by its own
 * Surefire execution ({@code without-vector-api} in the pom), whose JVM lacks the module; the
 * main execution skips this class.
 */
public class WithoutVectorApiTest extends LuceneTestCase {

  private static final int COUNT = 2000;
  private static final int K = 10;

  public void testThisJvmHasNoVectorApi() {
    assertTrue(
        "run by the without-vector-api execution",
        Boolean.getBoolean("hnswcodec.withoutVectorApi"));
    assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty());
    assertFalse(SimdSupport.ENABLED);
  }

  public void testSuppliersFallBackToLucene() throws IOException {
    int dimension = 16;
    List<float[]> floats = List.of(new float[dimension], new float[dimension]);
    List<byte[]> bytes = List.of(new byte[dimension], new byte[dimension]);
    FlatVectorsScorer lucene = FlatVectorScorerUtil.getLucene99FlatVectorsScorer();
    for (VectorSimilarityFunction similarity : VectorSimilarityFunction.values()) {
      assertFalse(
          HeapFloatScorerSupplier.create(floats, dimension, similarity, lucene)
              instanceof HeapFloatScorerSupplier);
      assertFalse(
          HeapByteScorerSupplier.create(bytes, dimension, similarity, lucene)
              instanceof HeapByteScorerSupplier);
    }
  }

  /** SIFT's first 2,000 vectors as floats and as bytes: recall@10 at ef=32 against brute force. */
  public void testIndexesAndSearches() throws IOException {
    float[][] base = Arrays.copyOf(VectorSet.siftBase(), COUNT);
    float[][] queries = Arrays.copyOf(VectorSet.siftQueries(), 30);
    VectorSimilarityFunction l2 = VectorSimilarityFunction.EUCLIDEAN;
    try (Directory dir = newFSDirectory(createTempDir())) {
      IndexWriterConfig config =
          new IndexWriterConfig().setCodec(new HnswCodec(new HnswCodecVectorsFormat(16, 100)));
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        for (int row = 0; row < COUNT; row++) {
          Document doc = new Document();
          doc.add(new KnnFloatVectorField("floats", base[row], l2));
          doc.add(new KnnByteVectorField("bytes", VectorSet.siftAsBytes(base[row]), l2));
          doc.add(new StoredField("row", row));
          writer.addDocument(doc);
        }
        writer.forceMerge(1);
      }
      float[][] asBytes = new float[COUNT][];
      for (int row = 0; row < COUNT; row++) {
        asBytes[row] = VectorSet.toFloats(VectorSet.siftAsBytes(base[row]));
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = newSearcher(reader);
        double floatRecall = 0;
        double byteRecall = 0;
        for (float[] query : queries) {
          EfSearchStrategy ef = new EfSearchStrategy(32);
          int[] floatTruth = ExactNeighbors.topK(base, query, K, l2);
          floatRecall +=
              ExactNeighbors.recall(
                  rows(searcher, new KnnFloatVectorQuery("floats", query, K, null, ef)),
                  floatTruth,
                  K);
          byte[] byteQuery = VectorSet.siftAsBytes(query);
          int[] byteTruth = ExactNeighbors.topK(asBytes, VectorSet.toFloats(byteQuery), K, l2);
          byteRecall +=
              ExactNeighbors.recall(
                  rows(searcher, new KnnByteVectorQuery("bytes", byteQuery, K, null, ef)),
                  byteTruth,
                  K);
        }
        // measured: 0.997 for both, with Lucene's scorers here as with our kernels
        floatRecall /= queries.length;
        byteRecall /= queries.length;
        assertTrue("float recall@10 at ef=32: " + floatRecall, floatRecall >= 0.98);
        assertTrue("byte recall@10 at ef=32: " + byteRecall, byteRecall >= 0.98);
      }
    }
  }

  private static int[] rows(IndexSearcher searcher, Query query) throws IOException {
    TopDocs hits = searcher.search(query, K);
    List<Integer> rows = new ArrayList<>();
    for (ScoreDoc hit : hits.scoreDocs) {
      rows.add(searcher.storedFields().document(hit.doc).getField("row").numericValue().intValue());
    }
    return rows.stream().mapToInt(Integer::intValue).toArray();
  }
}
