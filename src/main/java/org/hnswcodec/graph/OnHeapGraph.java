package org.hnswcodec.graph;

import java.util.Arrays;

/**
 * A graph being built, on the heap. The number of nodes is fixed up front (a flush or a merge knows
 * how many vectors it has), so layer 0 is flat arrays (neighbours, their scores) with a fixed-size
 * slot per node, in pages of {@value #PAGE_NODES} nodes; the few nodes on upper layers keep one
 * array each for all their upper layers.
 *
 * <p>Every neighbour is stored with its similarity to the node, which pruning needs, and each list
 * is kept sorted by decreasing similarity, the order pruning reads it in. A slot has one entry more
 * than the layer's maximum degree so that a back-link can be added before the list is pruned back.
 *
 * <p>Several threads may insert at once ({@link GraphBuilder} with workers) if they hold a node's
 * {@link NodeLocks lock} while reading or changing its lists; adding nodes and moving the entry
 * point are safe without one.
 */
public final class OnHeapGraph implements LayeredGraph {

  /**
   * Nodes a page of layer 0 holds. One array for all nodes would bound a graph by the longest Java
   * array, 2^31 slots (65 million nodes at M=16, 2 million at M=512); pages bound it only by the
   * heap, and a large graph is not one allocation of gigabytes either (a page's neighbours and
   * scores are half a megabyte each at M=16).
   */
  static final int PAGE_NODES = 1 << 12;

  private static final int PAGE_SHIFT = Integer.numberOfTrailingZeros(PAGE_NODES);

  private final int size;
  private final int maxConn;
  private final int maxConn0;
  private final int stride0;
  private final int strideUpper;

  private final int[] levelOf;
  // page p holds the slots of nodes [p * PAGE_NODES, (p + 1) * PAGE_NODES), stride0 entries each
  private final int[][] links0;
  private final float[][] scores0;
  private final int[] degree0;
  private final int[][] linksUpper;
  private final float[][] scoresUpper;
  private final int[][] degreeUpper;

  /** The entry node and its level, replaced as one so that concurrent readers see a pair. */
  private volatile EntryPoint entry;

  private final int[] nodesPerLevel = new int[LevelGenerator.MAX_LEVEL + 1];

  /**
   * @param size the number of nodes the graph will hold
   * @param maxConn M, the most neighbours on upper layers; layer 0 allows 2M
   */
  public OnHeapGraph(int size, int maxConn) {
    this.size = size;
    this.maxConn = maxConn;
    this.maxConn0 = 2 * maxConn;
    this.stride0 = maxConn0 + 1;
    this.strideUpper = maxConn + 1;
    this.levelOf = new int[size];
    Arrays.fill(levelOf, -1);
    int pages = (size + PAGE_NODES - 1) >>> PAGE_SHIFT;
    this.links0 = new int[pages][];
    this.scores0 = new float[pages][];
    for (int page = 0; page < pages; page++) {
      int nodes = Math.min(PAGE_NODES, size - (page << PAGE_SHIFT));
      links0[page] = new int[nodes * stride0];
      scores0[page] = new float[nodes * stride0];
    }
    this.degree0 = new int[size];
    this.linksUpper = new int[size][];
    this.scoresUpper = new float[size][];
    this.degreeUpper = new int[size][];
  }

  /** Makes room for {@code node} on layers {@code 0..level}; it has no neighbours yet. */
  void addNode(int node, int level) {
    assert levelOf[node] == -1 : "node " + node + " added twice";
    levelOf[node] = level;
    synchronized (nodesPerLevel) {
      for (int l = 0; l <= level; l++) {
        nodesPerLevel[l]++;
      }
    }
    if (level > 0) {
      linksUpper[node] = new int[level * strideUpper];
      scoresUpper[node] = new float[level * strideUpper];
      degreeUpper[node] = new int[level];
    }
  }

  /** The node searches start from and its top layer, which is the graph's; null while empty. */
  record EntryPoint(int node, int level) {}

  EntryPoint entryPoint() {
    return entry;
  }

  void setEntryNode(int node, int level) {
    entry = new EntryPoint(node, level);
  }

  /** The top layer of {@code node}, or -1 if it is not in the graph. */
  public int levelOf(int node) {
    return levelOf[node];
  }

  /** Number of nodes on {@code level}. */
  public int countOnLevel(int level) {
    return nodesPerLevel[level];
  }

  @Override
  public int[] nodesOnLevel(int level) {
    int[] nodes = new int[nodesPerLevel[level]];
    int count = 0;
    for (int node = 0; node < size; node++) {
      if (levelOf[node] >= level) {
        nodes[count++] = node;
      }
    }
    assert count == nodes.length;
    return nodes;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int topLevel() {
    EntryPoint current = entry;
    return current == null ? -1 : current.level();
  }

  @Override
  public int entryNode() {
    EntryPoint current = entry;
    return current == null ? -1 : current.node();
  }

  @Override
  public int maxConn(int level) {
    return level == 0 ? maxConn0 : maxConn;
  }

  @Override
  public int neighbors(int level, int node, int[] dest) {
    int degree = degree(level, node);
    System.arraycopy(linkArray(level, node), offset(level, node), dest, 0, degree);
    return degree;
  }

  /** Number of neighbours of {@code node} on {@code level}. */
  public int degree(int level, int node) {
    return level == 0 ? degree0[node] : degreeUpper[node][level - 1];
  }

  /** The {@code i}-th neighbour of {@code node} on {@code level}. */
  int neighbor(int level, int node, int i) {
    return linkArray(level, node)[offset(level, node) + i];
  }

  /** The similarity of {@code node} to its {@code i}-th neighbour on {@code level}. */
  float neighborScore(int level, int node, int i) {
    return scoreArray(level, node)[offset(level, node) + i];
  }

  /**
   * Adds a neighbour at its place in the order of decreasing similarity; the slot has room for one
   * more than {@link #maxConn(int)}.
   */
  void addNeighbor(int level, int node, int neighbor, float score) {
    int degree = degree(level, node);
    assert degree <= maxConn(level);
    int start = offset(level, node);
    int[] links = linkArray(level, node);
    float[] scores = scoreArray(level, node);
    int at = start + degree;
    while (at > start && scores[at - 1] < score) {
      links[at] = links[at - 1];
      scores[at] = scores[at - 1];
      at--;
    }
    links[at] = neighbor;
    scores[at] = score;
    setDegree(level, node, degree + 1);
  }

  /** Whether {@code node} links to {@code neighbor} on {@code level}. */
  boolean hasNeighbor(int level, int node, int neighbor) {
    int start = offset(level, node);
    int[] links = linkArray(level, node);
    for (int i = start; i < start + degree(level, node); i++) {
      if (links[i] == neighbor) {
        return true;
      }
    }
    return false;
  }

  /** Removes the {@code index}-th neighbour of {@code node} on {@code level}, keeping the order. */
  void removeNeighbor(int level, int node, int index) {
    int degree = degree(level, node);
    assert index >= 0 && index < degree;
    int at = offset(level, node) + index;
    int moved = degree - index - 1;
    System.arraycopy(linkArray(level, node), at + 1, linkArray(level, node), at, moved);
    System.arraycopy(scoreArray(level, node), at + 1, scoreArray(level, node), at, moved);
    setDegree(level, node, degree - 1);
  }

  /** Replaces the neighbours of {@code node} on {@code level}, given by decreasing similarity. */
  void setNeighbors(int level, int node, int[] neighbors, float[] scores, int count) {
    assert count <= maxConn(level);
    assert isSortedNearestFirst(scores, count);
    int at = offset(level, node);
    System.arraycopy(neighbors, 0, linkArray(level, node), at, count);
    System.arraycopy(scores, 0, scoreArray(level, node), at, count);
    setDegree(level, node, count);
  }

  private static boolean isSortedNearestFirst(float[] scores, int count) {
    for (int i = 1; i < count; i++) {
      if (scores[i - 1] < scores[i]) {
        return false;
      }
    }
    return true;
  }

  private void setDegree(int level, int node, int degree) {
    if (level == 0) {
      degree0[node] = degree;
    } else {
      degreeUpper[node][level - 1] = degree;
    }
  }

  private int[] linkArray(int level, int node) {
    return level == 0 ? links0[node >>> PAGE_SHIFT] : linksUpper[node];
  }

  private float[] scoreArray(int level, int node) {
    return level == 0 ? scores0[node >>> PAGE_SHIFT] : scoresUpper[node];
  }

  private int offset(int level, int node) {
    return level == 0 ? (node & (PAGE_NODES - 1)) * stride0 : (level - 1) * strideUpper;
  }
}
