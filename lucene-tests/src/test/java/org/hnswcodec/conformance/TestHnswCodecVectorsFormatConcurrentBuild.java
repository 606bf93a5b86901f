package org.hnswcodec.conformance;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.tests.index.BaseKnnVectorsFormatTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.apache.lucene.util.NamedThreadFactory;
import org.hnswcodec.codec.HnswCodecVectorsFormat;
import org.junit.AfterClass;
import org.junit.BeforeClass;

/**
 * Lucene's conformance suite again, with the format configured for several workers at flush and at
 * merge. The suite's indexes are small and a graph's first 512 nodes go in on one thread, so most
 * scenarios (deletions, sorting, merges, checks) exercise the locked code paths of a concurrent
 * build rather than its races; those are tested on larger graphs (GraphBuilderTest,
 * GraphMergerTest, SiftRecallTest). Every segment gets a graph, however small.
 */
public class TestHnswCodecVectorsFormatConcurrentBuild extends BaseKnnVectorsFormatTestCase {

  private static ExecutorService pool;

  @BeforeClass
  public static void startPool() {
    pool = Executors.newFixedThreadPool(3, new NamedThreadFactory("graph-build"));
  }

  @AfterClass
  public static void stopPool() throws InterruptedException {
    pool.shutdown();
    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    pool = null;
  }

  @Override
  protected Codec getCodec() {
    return TestUtil.alwaysKnnVectorsFormat(
        new HnswCodecVectorsFormat(
            random().nextInt(2, 33),
            random().nextInt(10, 150),
            random().nextInt(1, 200),
            random().nextInt(2, 5),
            pool,
            0));
  }

  @Override
  protected boolean supportsFloatVectorFallback() {
    return false;
  }
}
