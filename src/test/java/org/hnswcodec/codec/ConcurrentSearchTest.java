package org.hnswcodec.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.store.NIOFSDirectory;
import org.apache.lucene.tests.store.MockDirectoryWrapper;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.hnswcodec.search.EfSearchStrategy;
import org.hnswcodec.testutil.RowVectors;
import org.hnswcodec.testutil.VectorSet;

/**
 * Several threads searching one segment at once: each thread walks a field's graph and reads its
 * vectors through its own open copies (the reader keeps them per thread and field), so every search
 * finds what it finds alone, in either of two fields whose graphs differ. Over a memory-mapped
 * directory, where Lucene's scorers read the mapped vectors directly, and over one read through
 * buffers, where every vector scored passes through the read buffer of the thread's open vectors:
 * only there would vectors shared between threads show.
 */
public class ConcurrentSearchTest extends LuceneTestCase {

  private static final String FIELD = "v";
  // a second field, on fewer documents and in another order, so that its graph is another shape
  private static final String OTHER_FIELD = "w";
  private static final int OTHER_DOCS = 2000;
  private static final int THREADS = 4;
  private static final VectorSimilarityFunction L2 = VectorSimilarityFunction.EUCLIDEAN;

  public void testMemoryMapped() throws Exception {
    try (Directory dir = new MockDirectoryWrapper(random(), new MMapDirectory(createTempDir()))) {
      assertThreadsFindWhatOneThreadFinds(dir);
    }
  }

  public void testReadThroughBuffers() throws Exception {
    try (Directory dir = new MockDirectoryWrapper(random(), new NIOFSDirectory(createTempDir()))) {
      assertThreadsFindWhatOneThreadFinds(dir);
    }
  }

  private static void assertThreadsFindWhatOneThreadFinds(Directory dir) throws Exception {
    float[][] base = VectorSet.siftBase();
    float[][] queries = VectorSet.siftQueries();
    IndexWriterConfig config = new IndexWriterConfig().setCodec(new HnswCodec());
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try (IndexWriter writer = new IndexWriter(dir, config)) {
      float[][] rows = Arrays.copyOf(base, 3000);
      for (int row = 0; row < rows.length; row++) {
        Document doc = RowVectors.document(FIELD, rows[row], L2, row);
        if (row < OTHER_DOCS) {
          doc.add(new KnnFloatVectorField(OTHER_FIELD, rows[rows.length - 1 - row], L2));
        }
        writer.addDocument(doc);
      }
      writer.forceMerge(1);
      try (DirectoryReader reader = DirectoryReader.open(writer)) {
        assertEquals(1, reader.leaves().size());
        IndexSearcher searcher = new IndexSearcher(reader);
        String[] fields = {FIELD, OTHER_FIELD};
        TopDocs[][] alone = new TopDocs[fields.length][queries.length];
        for (int f = 0; f < fields.length; f++) {
          for (int q = 0; q < queries.length; q++) {
            alone[f][q] = searcher.search(query(fields[f], queries[q]), 10);
          }
        }
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int offset = t * 17;
          threads.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < 10 * queries.length; i++) {
                      int q = (offset + i * 7) % queries.length;
                      int f = (offset + i) % fields.length;
                      TopDocs hits = searcher.search(query(fields[f], queries[q]), 10);
                      assertSameHits(fields[f] + ", query " + q, alone[f][q], hits);
                    }
                    return null;
                  }));
        }
        for (Future<?> thread : threads) {
          thread.get();
        }
      }
    } finally {
      // a failed search leaves the other threads running: stop them, without hiding the failure
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static KnnFloatVectorQuery query(String field, float[] vector) {
    return new KnnFloatVectorQuery(field, vector, 10, null, new EfSearchStrategy(32));
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
