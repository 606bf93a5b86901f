package org.hnswcodec.graph;

import java.io.IOException;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.IORunnable;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * Builds an HNSW graph by inserting nodes one at a time (the HNSW paper's algorithm 1).
 *
 * <p>To insert node {@code q} with top layer {@code l}: descend greedily from the entry node to layer
 * {@code l}; then on each layer from {@code l} down to 0, run a beam of width efConstruction from the
 * nodes found on the layer above, keep the diverse nearest of them as {@code q}'s neighbours ({@link
 * DiversityHeuristic}), and link each of those back to {@code q}; a list that overflows gives up
 * its least diverse neighbour. A node whose top layer is above the current top becomes the entry
 * node. After the last insertion, a connectivity
 * pass links any node that pruning left unreachable on layer 0.
 *
 * <p>One builder builds one graph, on one thread.
 */
public final class GraphBuilder {

  /** Insertions between two checks whether the build should stop (a merge being aborted). */
  private static final int ABORT_CHECK_INTERVAL = 1024;

  private final OnHeapGraph graph;
  private final LevelGenerator levels;
  private final int beamWidth;
  private final UpdateableRandomVectorScorer scorer;
  private final DiversityHeuristic heuristic;
  private final BeamSearcher searcher;

  private final int[] entryNodes;
  private final int[] candidateNodes;
  private final float[] candidateScores;
  private final int[] selectedNodes;
  private final float[] selectedScores;
  private final int[] pruneNodes;
  private final float[] pruneScores;

  /**
   * @param scorers scores any node against any other; ordinals are the graph's nodes
   * @param size number of nodes, {@code 0..size-1}
   * @param maxConn M
   * @param beamWidth efConstruction
   * @param seed seed of the layer assignment
   */
  public GraphBuilder(
      RandomVectorScorerSupplier scorers, int size, int maxConn, int beamWidth, long seed)
      throws IOException {
    this.graph = new OnHeapGraph(size, maxConn);
    this.levels = new LevelGenerator(maxConn, seed);
    this.beamWidth = beamWidth;
    this.scorer = scorers.scorer();
    int maxConn0 = graph.maxConn(0);
    this.heuristic = new DiversityHeuristic(scorers);
    this.searcher = new BeamSearcher(VisitedSet.forBuild(size), maxConn0, beamWidth);
    int room = Math.max(beamWidth, maxConn0 + 1);
    this.entryNodes = new int[room];
    this.candidateNodes = new int[room];
    this.candidateScores = new float[room];
    this.selectedNodes = new int[room];
    this.selectedScores = new float[room];
    this.pruneNodes = new int[maxConn0 + 1];
    this.pruneScores = new float[maxConn0 + 1];
  }

  /**
   * Inserts every node not in the graph yet, in ordinal order, and returns the graph.
   *
   * @param abortCheck run every so often; it throws to stop the build
   */
  public OnHeapGraph build(IORunnable abortCheck) throws IOException {
    for (int node = 0; node < graph.size(); node++) {
      if (node % ABORT_CHECK_INTERVAL == 0) {
        abortCheck.run();
      }
      if (graph.levelOf(node) == -1) {
        insert(node);
      }
    }
    connectLayerZero();
    return graph;
  }

  /**
   * Pruning can leave a few nodes with no path from the entry node on layer 0 (one or two in a few
   * thousand), and no search could ever find them. Each such node gets a link from the nearest
   * node that is reached, found by a search over the reached nodes: one with room for another
   * link if possible, else the nearest, giving up the neighbour that the most other nodes link to.
   */
  private void connectLayerZero() throws IOException {
    int size = graph.size();
    if (size == 0) {
      return;
    }
    FixedBitSet reached = new FixedBitSet(size);
    int[] queue = new int[size];
    int count = reach(graph.entryNode(), reached, queue);
    int[] inDegree = null;
    int maxConn0 = graph.maxConn(0);
    for (int node = 0; node < size && count < size; node++) {
      if (reached.get(node)) {
        continue;
      }
      if (inDegree == null) {
        inDegree = inDegrees();
      }
      scorer.setScoringOrdinal(node);
      entryNodes[0] = graph.entryNode();
      searcher.searchLevel(graph, scorer, 0, entryNodes, 1, beamWidth, reached, SearchLimits.NONE);
      int found = drainBestFirst(searcher.results());
      int from = candidateNodes[0];
      for (int i = 0; i < found; i++) {
        if (graph.degree(0, candidateNodes[i]) < maxConn0) {
          from = candidateNodes[i];
          break;
        }
      }
      if (graph.degree(0, from) >= maxConn0) {
        dropMostLinkedNeighbor(from, inDegree);
      }
      // the search scored candidates against the node; similarity is symmetric
      graph.addNeighbor(0, from, node, scoreOf(from, found));
      inDegree[node]++;
      count += reach(node, reached, queue);
    }
  }

  /** The score the last search gave {@code candidate}, among the {@code found} candidates. */
  private float scoreOf(int candidate, int found) {
    for (int i = 0; i < found; i++) {
      if (candidateNodes[i] == candidate) {
        return candidateScores[i];
      }
    }
    throw new AssertionError("node " + candidate + " was not a candidate");
  }

  /** Marks what is reachable from {@code start} on layer 0 and not marked yet; returns how many. */
  private int reach(int start, FixedBitSet reached, int[] queue) {
    int head = 0;
    int tail = 0;
    reached.set(start);
    queue[tail++] = start;
    while (head < tail) {
      int node = queue[head++];
      int degree = graph.degree(0, node);
      for (int i = 0; i < degree; i++) {
        int neighbor = graph.neighbor(0, node, i);
        if (reached.getAndSet(neighbor) == false) {
          queue[tail++] = neighbor;
        }
      }
    }
    return tail;
  }

  private int[] inDegrees() {
    int[] inDegree = new int[graph.size()];
    for (int node = 0; node < graph.size(); node++) {
      for (int i = 0; i < graph.degree(0, node); i++) {
        inDegree[graph.neighbor(0, node, i)]++;
      }
    }
    return inDegree;
  }

  /** Removes from {@code node}'s layer-0 list the neighbour with the most other in-links. */
  private void dropMostLinkedNeighbor(int node, int[] inDegree) {
    int degree = graph.degree(0, node);
    int drop = 0;
    for (int i = 1; i < degree; i++) {
      if (inDegree[graph.neighbor(0, node, i)] > inDegree[graph.neighbor(0, node, drop)]) {
        drop = i;
      }
    }
    int kept = 0;
    for (int i = 0; i < degree; i++) {
      if (i != drop) {
        pruneNodes[kept] = graph.neighbor(0, node, i);
        pruneScores[kept] = graph.neighborScore(0, node, i);
        kept++;
      }
    }
    inDegree[graph.neighbor(0, node, drop)]--;
    graph.setNeighbors(0, node, pruneNodes, pruneScores, kept);
  }

  /**
   * Starts the graph as a copy of {@code source}, an already built graph over some of the nodes
   * (a merging segment's), so that {@link #build} only inserts the others. Source node {@code o}
   * becomes node {@code sourceToNode[o]}, or is dropped where that is -1 (a deleted document), and
   * keeps its layers and links; the similarities of its links, which pruning needs, are scored
   * again.
   *
   * <p>A node that linked to dropped nodes gets its list repaired: the diversity rule picks again
   * among its remaining neighbours and the neighbours of the dropped ones. A node left with no
   * link on layer 0 is not copied but inserted afresh by {@link #build}. If the entry node is
   * dropped, a node on the highest layer that still has nodes takes its place.
   *
   * @param source a graph built with the same M
   */
  public void copyFrom(LayeredGraph source, int[] sourceToNode) throws IOException {
    if (graph.entryNode() != -1) {
      throw new IllegalStateException("the graph already has nodes");
    }
    if (source.maxConn(0) != graph.maxConn(0) || source.maxConn(1) != graph.maxConn(1)) {
      throw new IllegalArgumentException("the source graph was built with another M");
    }
    SourceLinks links = new SourceLinks(source, sourceToNode);
    int entryNode = -1;
    int entryLevel = -1;
    for (int level = source.topLevel(); level >= 0; level--) {
      for (int sourceNode : source.nodesOnLevel(level)) {
        int node = sourceToNode[sourceNode];
        if (node >= 0 && graph.levelOf(node) == -1 && links.hasLinksOnLayerZero(sourceNode)) {
          graph.addNode(node, level);
          if (entryNode == -1 || sourceNode == source.entryNode()) {
            entryNode = node;
            entryLevel = level;
          }
        }
      }
    }
    if (entryNode == -1) {
      return;
    }
    int[] nodes = new int[links.maxLinks()];
    float[] scores = new float[nodes.length];
    for (int level = source.topLevel(); level >= 0; level--) {
      for (int sourceNode : source.nodesOnLevel(level)) {
        int node = sourceToNode[sourceNode];
        if (node >= 0 && graph.levelOf(node) >= level) {
          copyLinks(links, level, sourceNode, node, nodes, scores);
        }
      }
    }
    graph.setEntryNode(entryNode, entryLevel);
  }

  private void copyLinks(
      SourceLinks links, int level, int sourceNode, int node, int[] nodes, float[] scores)
      throws IOException {
    int count = links.links(level, sourceNode, nodes);
    int ownCount = links.keptCount();
    // keep only links to nodes in the graph (not deleted, not left to be inserted afresh)
    int own = 0;
    int live = 0;
    for (int i = 0; i < count; i++) {
      if (graph.levelOf(nodes[i]) >= level) {
        nodes[live++] = nodes[i];
        if (i < ownCount) {
          own++;
        }
      }
    }
    scorer.setScoringOrdinal(node);
    scorer.bulkScore(nodes, scores, live);
    if (live > own) {
      // repair: the node keeps its own links; two-hop candidates, nearest first, fill the slots
      // of the dropped ones where the diversity rule admits them
      sortNearestFirst(nodes, scores, own, live);
      live = heuristic.extend(nodes, scores, own, live, graph.maxConn(level));
    }
    sortNearestFirst(nodes, scores, 0, live);
    graph.setNeighbors(level, node, nodes, scores, live);
  }

  /** Insertion sort of {@code [from, to)} by decreasing score: the lists are short. */
  private static void sortNearestFirst(int[] nodes, float[] scores, int from, int to) {
    for (int i = from + 1; i < to; i++) {
      float score = scores[i];
      int node = nodes[i];
      int j = i;
      while (j > from && scores[j - 1] < score) {
        scores[j] = scores[j - 1];
        nodes[j] = nodes[j - 1];
        j--;
      }
      scores[j] = score;
      nodes[j] = node;
    }
  }

  /** Whether {@code node} is in the graph already. */
  public boolean contains(int node) {
    return graph.levelOf(node) != -1;
  }

  /** Inserts one node. */
  public void insert(int node) throws IOException {
    insert(node, null, 0, beamWidth);
  }

  /**
   * Inserts a node whose neighbourhood is roughly known, as when merging a segment whose graph
   * linked it to nodes already inserted: if the node's top layer is 0 and {@code seeds} holds
   * nodes of the graph, the search starts from them instead of descending from the entry node, and
   * with a narrower beam, since it starts where it would otherwise arrive. Otherwise it is a plain
   * {@link #insert(int)}.
   *
   * @param seeds nodes of the graph near {@code node}
   * @param seedCount how many of {@code seeds} to use
   * @param beam the beam width of the search from the seeds
   */
  public void insertNear(int node, int[] seeds, int seedCount, int beam) throws IOException {
    if (seedCount == 0 || levels.levelOf(node) > 0) {
      insert(node);
    } else {
      insert(node, seeds, seedCount, beam);
    }
  }

  private void insert(int node, int[] seeds, int seedCount, int beam) throws IOException {
    int level = levels.levelOf(node);
    graph.addNode(node, level);
    if (graph.entryNode() == -1) {
      graph.setEntryNode(node, level);
      return;
    }
    scorer.setScoringOrdinal(node);
    int topLevel = graph.topLevel();
    int entryCount;
    if (seeds == null) {
      entryNodes[0] = searcher.descend(graph, scorer, level, SearchLimits.NONE);
      entryCount = 1;
    } else {
      entryCount = Math.min(seedCount, entryNodes.length);
      System.arraycopy(seeds, 0, entryNodes, 0, entryCount);
    }
    for (int l = Math.min(level, topLevel); l >= 0; l--) {
      searcher.searchLevel(graph, scorer, l, entryNodes, entryCount, beam, null, SearchLimits.NONE);
      int found = drainBestFirst(searcher.results());
      // what this layer found is where the search of the layer below starts
      System.arraycopy(candidateNodes, 0, entryNodes, 0, found);
      entryCount = found;
      int maxConn = graph.maxConn(l);
      int kept =
          heuristic.select(
              candidateNodes, candidateScores, found, maxConn, selectedNodes, selectedScores);
      graph.setNeighbors(l, node, selectedNodes, selectedScores, kept);
      for (int i = 0; i < kept; i++) {
        linkBack(l, selectedNodes[i], node, selectedScores[i]);
      }
    }
    if (level > topLevel) {
      graph.setEntryNode(node, level);
    }
  }

  /** Moves the beam's results into the candidate arrays, nearest first. */
  private int drainBestFirst(NodeQueue results) {
    int count = results.size();
    for (int i = count - 1; i >= 0; i--) {
      candidateScores[i] = results.topScore();
      candidateNodes[i] = results.pop();
    }
    return count;
  }

  /**
   * Adds {@code newNode} to the neighbours of {@code node}; if that overflows the list, the least
   * diverse neighbour goes ({@link DiversityHeuristic#leastDiverse}).
   */
  private void linkBack(int level, int node, int newNode, float score) throws IOException {
    graph.addNeighbor(level, node, newNode, score);
    int degree = graph.degree(level, node);
    if (degree <= graph.maxConn(level)) {
      return;
    }
    // lists are kept nearest first, the order the heuristic reads them in
    for (int i = 0; i < degree; i++) {
      pruneScores[i] = graph.neighborScore(level, node, i);
      pruneNodes[i] = graph.neighbor(level, node, i);
    }
    int drop = heuristic.leastDiverse(pruneNodes, pruneScores, degree);
    System.arraycopy(pruneNodes, drop + 1, pruneNodes, drop, degree - drop - 1);
    System.arraycopy(pruneScores, drop + 1, pruneScores, drop, degree - drop - 1);
    graph.setNeighbors(level, node, pruneNodes, pruneScores, degree - 1);
  }

}
