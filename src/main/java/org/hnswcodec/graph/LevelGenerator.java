package org.hnswcodec.graph;

/**
 * Assigns each node its top layer: {@code floor(-ln(U) * mL)} with {@code U} uniform in (0, 1] and
 * {@code mL = 1 / ln(M)}, so that a node reaches layer {@code l} with probability {@code M^-l}.
 *
 * <p>The draw for a node depends only on the seed and the node's ordinal, not on the order in which
 * nodes are inserted, so a graph is reproducible for a given seed even when built by several
 * threads.
 */
public final class LevelGenerator {

  /** Layers above this are never assigned; at M=2 it takes 2^24 nodes to expect one this high. */
  public static final int MAX_LEVEL = 24;

  private final double levelMultiplier;
  private final long seed;

  /**
   * @param maxConn M, the number of links per node on the upper layers
   * @param seed the seed all draws derive from
   */
  public LevelGenerator(int maxConn, long seed) {
    if (maxConn < 2) {
      throw new IllegalArgumentException("maxConn must be >= 2; got " + maxConn);
    }
    this.levelMultiplier = 1 / Math.log(maxConn);
    this.seed = seed;
  }

  /** The top layer of the node with this ordinal. */
  public int levelOf(int node) {
    // SplitMix64 finaliser: a well-mixed 64-bit value per (seed, node)
    long z = seed + (node + 1L) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    // 53 random bits give a uniform double in (0, 1]
    double uniform = ((z >>> 11) + 1) * 0x1.0p-53;
    int level = (int) (-Math.log(uniform) * levelMultiplier);
    return Math.min(level, MAX_LEVEL);
  }
}
