package org.hnswcodec.graph;

/**
 * Locks guarding the neighbour lists of an {@link OnHeapGraph} while several threads insert into
 * it. Nodes share a fixed number of monitors (node modulo a power of two), which costs a few
 * kilobytes instead of an object per node; a thread holds at most one at a time, so sharing cannot
 * deadlock.
 *
 * <p>Holding the lock also publishes a node to other threads: a node's lists are written under its
 * lock before any other list links to it, and those links are written under their own node's
 * lock, so a thread that follows a link sees the lists (and arrays) of the node it leads to.
 */
final class NodeLocks {

  /** Many more monitors than threads, so that two threads seldom wait on one. */
  private static final int STRIPES = 1024;

  private final Object[] monitors = new Object[STRIPES];

  NodeLocks() {
    for (int i = 0; i < STRIPES; i++) {
      monitors[i] = new Object();
    }
  }

  /** The monitor to hold while reading or changing {@code node}'s lists. */
  Object of(int node) {
    return monitors[node & (STRIPES - 1)];
  }

  /** A view of {@code graph} for searches that runs alongside insertions: it reads under lock. */
  LayeredGraph lockedView(OnHeapGraph graph) {
    return new LayeredGraph() {
      @Override
      public int neighbors(int level, int node, int[] dest) {
        synchronized (of(node)) {
          return graph.neighbors(level, node, dest);
        }
      }

      @Override
      public int size() {
        return graph.size();
      }

      @Override
      public int topLevel() {
        return graph.topLevel();
      }

      @Override
      public int entryNode() {
        return graph.entryNode();
      }

      @Override
      public int maxConn(int level) {
        return graph.maxConn(level);
      }

      @Override
      public int[] nodesOnLevel(int level) {
        return graph.nodesOnLevel(level);
      }
    };
  }
}
