package org.hnswcodec.scoring;

import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;

/** Whether this JVM can run {@link FloatKernels}. */
final class SimdSupport {

  /**
   * True when the {@code jdk.incubator.vector} module is loaded (the JVM was started with {@code
   * --add-modules jdk.incubator.vector}), Lucene itself judged the Vector API fast enough to use
   * for its own off-heap scorers (its checks for the JDK version, the VM and its flags), and the
   * CPU's preferred vectors hold at least four floats.
   */
  static final boolean ENABLED = detect();

  private SimdSupport() {}

  private static boolean detect() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    if (FlatVectorScorerUtil.getLucene99FlatVectorsScorer() instanceof DefaultFlatVectorScorer) {
      return false;
    }
    return FloatKernels.lanes() >= 4;
  }
}
