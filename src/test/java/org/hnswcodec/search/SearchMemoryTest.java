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
 * A search's own memory grows with its beam, not with the segment: a search at ef=16 over 200,000
 * vectors allocates about what one over 20,000 does, where one bit per vector would add 22 KB and
 * one int per vector 700 KB. What both allocate (the visited set, Lucene's collector and query
 * scorer; 6–20 KB depending on the JVM's vectorisation; the thread keeps its searcher's queues
 * and buffers, see {@link KeptSearcher}) is compared rather than bounded, since it depends on the
 * JIT.
 */
public class SearchMemoryTest extends LuceneTestCase {

  private static final String FIELD = "v";
  private static final VectorSimilarityFunction L2 = VectorSimilarityFunction.EUCLIDEAN;

  public void testASearchAllocatesByItsBeamNotByTheSegment() throws IOException {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(
        "the JVM measures what a thread allocates",
        threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    Random random = new Random(random().nextLong());
    try (Directory smallDir = new MMapDirectory(createTempDir());
        Directory largeDir = new MMapDirectory(createTempDir())) {
      index(smallDir, 20_000, random);
      index(largeDir, 200_000, random);
      try (DirectoryReader small = DirectoryReader.open(smallDir);
          DirectoryReader large = DirectoryReader.open(largeDir)) {
        LeafReader smallLeaf = small.leaves().getFirst().reader();
        LeafReader largeLeaf = large.leaves().getFirst().reader();
        for (int round = 0; round < 2; round++) {
          bytesPerSearch(threads, smallLeaf, random);
          bytesPerSearch(threads, largeLeaf, random);
        }
        long smallBytes = bytesPerSearch(threads, smallLeaf, random);
        long largeBytes = bytesPerSearch(threads, largeLeaf, random);
        assertTrue(
            "bytes allocated per search over 20,000 vectors: "
                + smallBytes
                + ", over 200,000: "
                + largeBytes,
            largeBytes - smallBytes < 8 * 1024);
      }
    }
  }

  /** One segment of {@code size} random 2-d vectors: a small M keeps its build to seconds. */
  private static void index(Directory dir, int size, Random random) throws IOException {
    IndexWriterConfig config =
        new IndexWriterConfig()
            .setCodec(new HnswCodec(new HnswCodecVectorsFormat(4, 16)))
            .setRAMBufferSizeMB(512);
    try (IndexWriter writer = new IndexWriter(dir, config)) {
      for (int i = 0; i < size; i++) {
        Document doc = new Document();
        doc.add(new KnnFloatVectorField(FIELD, randomVector(random), L2));
        writer.addDocument(doc);
      }
      writer.forceMerge(1);
    }
  }

  /** The bytes this thread allocates per search at ef=16, over 300 searches for random queries. */
  private static long bytesPerSearch(ThreadMXBean threads, LeafReader leaf, Random random)
      throws IOException {
    int searches = 300;
    long visited = 0;
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < searches; i++) {
      TopKnnCollector collector =
          new TopKnnCollector(10, Integer.MAX_VALUE, new EfSearchStrategy(16));
      leaf.searchNearestVectors(
          FIELD, randomVector(random), collector, AcceptDocs.fromLiveDocs(null, leaf.maxDoc()));
      assertEquals(10, collector.topDocs().scoreDocs.length);
      visited += collector.visitedCount();
    }
    long perSearch = (threads.getCurrentThreadAllocatedBytes() - before) / searches;
    assertTrue("the searches walked the graph: " + visited, visited < 1000L * searches);
    return perSearch;
  }

  private static float[] randomVector(Random random) {
    return new float[] {random.nextFloat(), random.nextFloat()};
  }
}
