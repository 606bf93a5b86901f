package org.hnswcodec.search;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.hnswcodec.codec.HnswCodec;
import org.hnswcodec.codec.HnswCodecVectorsFormat;

/**
 * A search's own memory grows with its beam, not with the segment: over 200,000 vectors a search
 * at ef=16 allocates a few kilobytes (its queues, buffers, visited set and the per-search readers),
 * where one bit per vector would be 25 KB and one int per vector 800 KB.
 */
public class SearchMemoryTest extends LuceneTestCase {

  private static final int SIZE = 200_000;
  private static final String FIELD = "v";
  private static final VectorSimilarityFunction L2 = VectorSimilarityFunction.EUCLIDEAN;

  public void testASearchAllocatesByItsBeamNotByTheSegment() throws IOException {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(
        "the JVM measures what a thread allocates",
        threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    Random random = new Random(random().nextLong());
    // two dimensions and a small M keep the build of 200,000 vectors to seconds
    HnswCodec codec = new HnswCodec(new HnswCodecVectorsFormat(4, 16));
    try (Directory dir = new MMapDirectory(createTempDir())) {
      IndexWriterConfig config = new IndexWriterConfig().setCodec(codec).setRAMBufferSizeMB(512);
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        for (int i = 0; i < SIZE; i++) {
          Document doc = new Document();
          doc.add(new KnnFloatVectorField(FIELD, randomVector(random), L2));
          writer.addDocument(doc);
        }
        writer.forceMerge(1);
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        LeafReader leaf = reader.leaves().getFirst().reader();
        searches(leaf, random, 200);
        long before = threads.getCurrentThreadAllocatedBytes();
        int searches = 500;
        long visited = searches(leaf, random, searches);
        long perSearch = (threads.getCurrentThreadAllocatedBytes() - before) / searches;
        assertTrue("the searches walked the graph: " + visited, visited < 500L * searches);
        assertTrue(
            "bytes allocated per search over " + SIZE + " vectors: " + perSearch,
            perSearch < 24 * 1024);
      }
    }
  }

  /** Runs {@code count} searches at ef=16 for random queries; returns the nodes they visited. */
  private static long searches(LeafReader leaf, Random random, int count) throws IOException {
    long visited = 0;
    for (int i = 0; i < count; i++) {
      TopKnnCollector collector =
          new TopKnnCollector(10, Integer.MAX_VALUE, new EfSearchStrategy(16));
      leaf.searchNearestVectors(
          FIELD, randomVector(random), collector, AcceptDocs.fromLiveDocs(null, leaf.maxDoc()));
      assertEquals(10, collector.topDocs().scoreDocs.length);
      visited += collector.visitedCount();
    }
    return visited;
  }

  private static float[] randomVector(Random random) {
    return new float[] {random.nextFloat(), random.nextFloat()};
  }
}
