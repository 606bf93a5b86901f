package org.hnswcodec.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.hnswcodec.search.EfSearchStrategy;
import org.hnswcodec.testutil.RowVectors;
import org.hnswcodec.testutil.VectorSet;

/**
 * Several threads searching one segment at once: each thread walks the graph through its own open
 * copy (the reader keeps one per thread and field), so every search finds what it finds alone.
 */
public class ConcurrentSearchTest extends LuceneTestCase {

  private static final String FIELD = "v";
  private static final int THREADS = 4;

  public void testThreadsSearchingOneSegmentFindWhatOneThreadFinds() throws Exception {
    float[][] base = VectorSet.siftBase();
    float[][] queries = VectorSet.siftQueries();
    IndexWriterConfig config = new IndexWriterConfig().setCodec(new HnswCodec());
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try (Directory dir = newFSDirectory(createTempDir());
        IndexWriter writer = new IndexWriter(dir, config)) {
      float[][] rows = Arrays.copyOf(base, 3000);
      RowVectors.addAll(writer, FIELD, rows, VectorSimilarityFunction.EUCLIDEAN, rows.length);
      writer.forceMerge(1);
      try (DirectoryReader reader = DirectoryReader.open(writer)) {
        assertEquals(1, reader.leaves().size());
        IndexSearcher searcher = new IndexSearcher(reader);
        TopDocs[] alone = new TopDocs[queries.length];
        for (int q = 0; q < queries.length; q++) {
          alone[q] = searcher.search(query(queries[q]), 10);
        }
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int offset = t * 17;
          threads.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < 10 * queries.length; i++) {
                      int q = (offset + i * 7) % queries.length;
                      assertSameHits("query " + q, alone[q], searcher.search(query(queries[q]), 10));
                    }
                    return null;
                  }));
        }
        for (Future<?> thread : threads) {
          thread.get();
        }
      }
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  private static KnnFloatVectorQuery query(float[] vector) {
    return new KnnFloatVectorQuery(FIELD, vector, 10, null, new EfSearchStrategy(32));
  }

  private static void assertSameHits(String message, TopDocs expected, TopDocs actual) {
    assertEquals(message, expected.scoreDocs.length, actual.scoreDocs.length);
    for (int i = 0; i < expected.scoreDocs.length; i++) {
      ScoreDoc want = expected.scoreDocs[i];
      ScoreDoc got = actual.scoreDocs[i];
      assertEquals(message + ", hit " + i, want.doc, got.doc);
      assertEquals(message + ", hit " + i, want.score, got.score, 0f);
    }
  }
}
