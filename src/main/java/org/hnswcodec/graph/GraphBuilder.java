package org.hnswcodec.graph;

import java.io.IOException;
import org.apache.lucene.util.IORunnable;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * Builds an HNSW graph by inserting nodes one at a time (the HNSW paper's algorithm 1).
 *
 * <p>To insert node {@code q} with top layer {@code l}: descend greedily from the entry node to layer
 * {@code l}; then on each layer from {@code l} down to 0, run a beam of width efConstruction from the
 * nodes found on the layer above, keep the diverse nearest of them as {@code q}'s neighbours, topped
 * up with the nearest others ({@link DiversityHeuristic#selectThenFill}), and link each of those back to {@code q}, pruning its list with the same
 * heuristic when it overflows. A node whose top layer is above the current top becomes the entry
 * node.
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
  private final int[] prunedNodes;
  private final float[] prunedScores;

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
    this.heuristic = new DiversityHeuristic(scorers, maxConn0);
    this.searcher = new BeamSearcher(VisitedSet.forBuild(size), maxConn0, beamWidth);
    int room = Math.max(beamWidth, maxConn0 + 1);
    this.entryNodes = new int[room];
    this.candidateNodes = new int[room];
    this.candidateScores = new float[room];
    this.selectedNodes = new int[room];
    this.selectedScores = new float[room];
    this.pruneNodes = new int[maxConn0 + 1];
    this.pruneScores = new float[maxConn0 + 1];
    this.prunedNodes = new int[maxConn0 + 1];
    this.prunedScores = new float[maxConn0 + 1];
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
    return graph;
  }

  /**
   * Starts the graph as a copy of {@code source}, an already built graph over some of the nodes
   * (a merging segment's), so that {@link #build} only inserts the others. Source node {@code o}
   * becomes node {@code sourceToNode[o]} and keeps its layers and links; the similarities of its
   * links, which pruning needs, are scored again.
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
    if (source.size() == 0) {
      return;
    }
    for (int level = source.topLevel(); level >= 0; level--) {
      for (int sourceNode : source.nodesOnLevel(level)) {
        if (graph.levelOf(sourceToNode[sourceNode]) == -1) {
          graph.addNode(sourceToNode[sourceNode], level);
        }
      }
    }
    for (int level = source.topLevel(); level >= 0; level--) {
      for (int sourceNode : source.nodesOnLevel(level)) {
        int node = sourceToNode[sourceNode];
        int degree = source.neighbors(level, sourceNode, selectedNodes);
        for (int i = 0; i < degree; i++) {
          selectedNodes[i] = sourceToNode[selectedNodes[i]];
        }
        scorer.setScoringOrdinal(node);
        scorer.bulkScore(selectedNodes, selectedScores, degree);
        graph.setNeighbors(level, node, selectedNodes, selectedScores, degree);
      }
    }
    graph.setEntryNode(sourceToNode[source.entryNode()], source.topLevel());
  }

  /** Inserts one node. */
  public void insert(int node) throws IOException {
    int level = levels.levelOf(node);
    graph.addNode(node, level);
    if (graph.entryNode() == -1) {
      graph.setEntryNode(node, level);
      return;
    }
    scorer.setScoringOrdinal(node);
    int topLevel = graph.topLevel();
    entryNodes[0] = searcher.descend(graph, scorer, level, SearchLimits.NONE);
    int entryCount = 1;
    for (int l = Math.min(level, topLevel); l >= 0; l--) {
      searcher.searchLevel(
          graph, scorer, l, entryNodes, entryCount, beamWidth, null, SearchLimits.NONE);
      int found = drainBestFirst(searcher.results());
      // what this layer found is where the search of the layer below starts
      System.arraycopy(candidateNodes, 0, entryNodes, 0, found);
      entryCount = found;
      int maxConn = graph.maxConn(l);
      // Links come from the nearest candidates: past 1.5 * maxConn the rule rarely keeps one,
      // and checking each costs a score per kept neighbour. On SIFT this scan limit cuts the
      // distances computed by a third at equal recall per visited node.
      int scanned = Math.min(found, maxConn + maxConn / 2);
      int kept =
          heuristic.selectThenFill(
              candidateNodes, candidateScores, scanned, maxConn, selectedNodes, selectedScores);
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

  /** Adds {@code newNode} to the neighbours of {@code node}, pruning them if they overflow. */
  private void linkBack(int level, int node, int newNode, float score) throws IOException {
    graph.appendNeighbor(level, node, newNode, score);
    int degree = graph.degree(level, node);
    int maxConn = graph.maxConn(level);
    if (degree <= maxConn) {
      return;
    }
    // insertion sort, nearest first: the list is short and mostly sorted already
    for (int i = 0; i < degree; i++) {
      float s = graph.neighborScore(level, node, i);
      int n = graph.neighbor(level, node, i);
      int j = i;
      while (j > 0 && pruneScores[j - 1] < s) {
        pruneScores[j] = pruneScores[j - 1];
        pruneNodes[j] = pruneNodes[j - 1];
        j--;
      }
      pruneScores[j] = s;
      pruneNodes[j] = n;
    }
    int kept =
        heuristic.select(pruneNodes, pruneScores, degree, maxConn, prunedNodes, prunedScores);
    graph.setNeighbors(level, node, prunedNodes, prunedScores, kept);
  }
}
