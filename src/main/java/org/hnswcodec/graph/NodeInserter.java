package org.hnswcodec.graph;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * Inserts nodes into an {@link OnHeapGraph} (the HNSW paper's algorithm 1), one at a time, on one
 * thread; a {@link GraphBuilder} with several workers gives each its own inserter.
 *
 * <p>To insert node {@code q} with top layer {@code l}: descend greedily from the entry node to layer
 * {@code l}; then on each layer from {@code l} down to 0, run a beam of width efConstruction from the
 * nodes found on the layer above, keep the diverse nearest of them as {@code q}'s neighbours ({@link
 * DiversityHeuristic}), and link each of those back to {@code q}; a list that overflows gives up
 * its least diverse neighbour. A node whose top layer is above the current top becomes the entry
 * node.
 *
 * <p>With {@link NodeLocks}, inserters on several threads share the graph: every list is read and
 * written under its node's lock, and a node that raises the top layer is inserted under a lock
 * shared by all inserters, so that the entry point moves only once that node is linked.
 */
final class NodeInserter {

  private final OnHeapGraph graph;
  private final NodeLocks locks;
  private final LayeredGraph searchView;
  private final ReentrantLock entryLock;
  private final LevelGenerator levels;
  private final int beamWidth;
  private final UpdateableRandomVectorScorer scorer;
  private final DiversityHeuristic heuristic;
  private final BeamSearcher searcher;

  private final int[] entryNodes;
  private final int[] linkedSeeds;
  private final int[] candidateNodes;
  private final float[] candidateScores;
  private final int[] selectedNodes;
  private final float[] selectedScores;
  private final int[] pruneNodes;
  private final float[] pruneScores;
  private final int[] relinkNodes;
  private final float[] relinkScores;

  /**
   * @param scorers this inserter's own scorers (a {@code copy()} per thread)
   * @param locks the graph's locks, or null if this is the only thread using the graph
   * @param entryLock held by an insertion that raises the top layer; shared by all inserters
   * @param newcomerPairsOnly how overflowing lists are pruned ({@link DiversityHeuristic})
   */
  NodeInserter(
      OnHeapGraph graph,
      NodeLocks locks,
      ReentrantLock entryLock,
      LevelGenerator levels,
      int beamWidth,
      RandomVectorScorerSupplier scorers,
      boolean newcomerPairsOnly)
      throws IOException {
    this.graph = graph;
    this.locks = locks;
    this.searchView = locks == null ? graph : locks.lockedView(graph);
    this.entryLock = entryLock;
    this.levels = levels;
    this.beamWidth = beamWidth;
    this.scorer = scorers.scorer();
    this.heuristic = new DiversityHeuristic(scorers, newcomerPairsOnly);
    int maxConn0 = graph.maxConn(0);
    // a narrower beam (a merge's) still gives the heuristic efConstruction candidates
    this.searcher =
        new BeamSearcher(VisitedSet.forBuild(graph.size()), maxConn0, beamWidth, beamWidth);
    int room = Math.max(beamWidth, maxConn0 + 1);
    // layer 0's entries may be the nearest M found on layer 1 and a full list of seeds
    this.entryNodes = new int[Math.max(room, graph.maxConn(1) + maxConn0)];
    this.linkedSeeds = new int[maxConn0];
    this.candidateNodes = new int[room];
    this.candidateScores = new float[room];
    this.selectedNodes = new int[room];
    this.selectedScores = new float[room];
    this.pruneNodes = new int[maxConn0 + 1];
    this.pruneScores = new float[maxConn0 + 1];
    this.relinkNodes = new int[maxConn0 + room];
    this.relinkScores = new float[maxConn0 + room];
  }

  /** Inserts a node, searching from the entry node with a beam of efConstruction. */
  void insert(int node) throws IOException {
    insert(node, 0, beamWidth);
  }

  /**
   * Inserts a node whose neighbourhood is roughly known, as when merging a segment whose graph
   * linked it to nodes already inserted. If some of {@code seeds[from..to)} are linked into the
   * graph already, its searches run a beam of {@code beam} instead of efConstruction but still
   * offer the neighbour heuristic the efConstruction best nodes they score; its layer-0 search
   * starts from those seeds, which are where it would otherwise arrive (with, for a node above
   * layer 0, the nearest M nodes its search of layer 1 found). Otherwise it is a plain {@link
   * #insert(int)}.
   */
  void insertNear(int node, int[] seeds, int from, int to, int beam) throws IOException {
    int count = 0;
    for (int i = from; i < to && count < linkedSeeds.length; i++) {
      if (isLinked(seeds[i])) {
        linkedSeeds[count++] = seeds[i];
      }
    }
    if (count == 0) {
      insert(node);
    } else {
      insert(node, count, beam);
    }
  }

  /**
   * Links again a node copied from a merging segment's graph whose lists lost links to deleted
   * documents: on each of its layers, from the top, a search with a beam of {@code beam} starts
   * from its remaining neighbours and what the layer above found, and offers the heuristic the
   * efConstruction best nodes it scores; the node keeps its list and adds what the heuristic admits
   * of them, and its neighbours get links back, as in an insertion.
   */
  void relink(int node, int beam) throws IOException {
    scorer.setScoringOrdinal(node);
    int entryCount = 0;
    for (int level = graph.levelOf(node); level >= 0; level--) {
      int degree = searchView.neighbors(level, node, linkedSeeds);
      entryCount = Math.min(entryCount, entryNodes.length - degree);
      System.arraycopy(linkedSeeds, 0, entryNodes, entryCount, degree);
      entryCount += degree;
      if (entryCount == 0) {
        continue;
      }
      searcher.searchLevel(
          searchView, scorer, level, entryNodes, entryCount, beam, null, SearchLimits.NONE);
      int found = copyResults(searcher.results(), node);
      System.arraycopy(candidateNodes, 0, entryNodes, 0, found);
      entryCount = found;
      int kept = extendNeighbors(level, node, found);
      for (int i = 0; i < kept; i++) {
        linkBackIfAbsent(level, relinkNodes[i], node, relinkScores[i]);
      }
    }
  }

  /**
   * Adds to the list of {@code node} on {@code level} what the heuristic admits next to it of the
   * {@code found} candidates; returns how many the list then holds, in {@link #relinkNodes}.
   */
  private int extendNeighbors(int level, int node, int found) throws IOException {
    synchronized (monitorOf(node)) {
      int degree = graph.degree(level, node);
      for (int i = 0; i < degree; i++) {
        relinkNodes[i] = graph.neighbor(level, node, i);
        relinkScores[i] = graph.neighborScore(level, node, i);
      }
      int count = degree;
      for (int i = 0; i < found; i++) {
        if (graph.hasNeighbor(level, node, candidateNodes[i]) == false) {
          relinkNodes[count] = candidateNodes[i];
          relinkScores[count] = candidateScores[i];
          count++;
        }
      }
      int kept = heuristic.extend(relinkNodes, relinkScores, degree, count, graph.maxConn(level));
      if (kept > degree) {
        GraphCopier.sortNearestFirst(relinkNodes, relinkScores, 0, kept);
        graph.setNeighbors(level, node, relinkNodes, relinkScores, kept);
      }
      return kept;
    }
  }

  /** The monitor guarding {@code node}'s lists: alone on the graph, one no other thread takes. */
  private Object monitorOf(int node) {
    return locks == null ? this : locks.of(node);
  }

  /** A back-link from a relinked node's neighbour, unless it has one already. */
  private void linkBackIfAbsent(int level, int node, int newNode, float score) throws IOException {
    synchronized (monitorOf(node)) {
      if (graph.hasNeighbor(level, node, newNode) == false) {
        addLink(level, node, newNode, score);
      }
    }
  }

  /**
   * Whether {@code node} is in the graph with links on layer 0, so that a search starting from it
   * can move on: a node other threads are still inserting may have none yet.
   */
  private boolean isLinked(int node) {
    if (locks == null) {
      return graph.levelOf(node) != -1;
    }
    synchronized (locks.of(node)) {
      return graph.degree(0, node) > 0;
    }
  }

  /**
   * @param seedCount how many seeds {@link #linkedSeeds} holds for layer 0; with none the search
   *     descends from the entry node with a beam of efConstruction
   */
  private void insert(int node, int seedCount, int beam) throws IOException {
    int level = levels.levelOf(node);
    graph.addNode(node, level);
    OnHeapGraph.EntryPoint entry = graph.entryPoint();
    if (entry == null || level > entry.level()) {
      entryLock.lock();
      try {
        entry = graph.entryPoint();
        if (entry == null || level > entry.level()) {
          if (entry != null) {
            link(node, level, entry, seedCount, beam);
          }
          graph.setEntryNode(node, level);
          return;
        }
      } finally {
        entryLock.unlock();
      }
    }
    link(node, level, entry, seedCount, beam);
  }

  private void link(int node, int level, OnHeapGraph.EntryPoint entry, int seedCount, int beam)
      throws IOException {
    scorer.setScoringOrdinal(node);
    int top = Math.min(level, entry.level());
    // with seeds, a node on layer 0 alone starts there; one above descends to its top layer
    boolean descended = seedCount == 0 || top > 0;
    if (descended) {
      searcher.descend(searchView, scorer, entry.node(), entry.level(), level, SearchLimits.NONE);
    }
    int entryCount = 0;
    for (int l = top; l >= 0; l--) {
      if (descended) {
        // the first layer searched is the one the descent stopped at
        searcher.searchFromDescent(searchView, scorer, l, beam, null, SearchLimits.NONE);
        descended = false;
      } else {
        if (l == 0 && seedCount > 0) {
          entryCount = Math.min(entryCount, graph.maxConn(1));
          System.arraycopy(linkedSeeds, 0, entryNodes, entryCount, seedCount);
          entryCount += seedCount;
        }
        searcher.searchLevel(
            searchView, scorer, l, entryNodes, entryCount, beam, null, SearchLimits.NONE);
      }
      int found = copyResults(searcher.results(), node);
      // what this layer found is where the search of the layer below starts
      System.arraycopy(candidateNodes, 0, entryNodes, 0, found);
      entryCount = found;
      int kept =
          heuristic.select(
              candidateNodes, candidateScores, found, graph.maxConn(l), selectedNodes,
              selectedScores);
      setNeighbors(l, node, kept);
      for (int i = 0; i < kept; i++) {
        linkBack(l, selectedNodes[i], node, selectedScores[i]);
      }
    }
  }

  /**
   * Copies the beam's results into the candidate arrays, nearest first, leaving out the node being
   * inserted: with other threads inserting, one may have linked to it already (a search that
   * descended through it on an upper layer), so the beam can reach it.
   */
  private int copyResults(SearchResults results, int inserted) {
    int found = 0;
    for (int i = 0; i < results.size(); i++) {
      int node = results.node(i);
      if (node != inserted) {
        candidateNodes[found] = node;
        candidateScores[found] = results.score(i);
        found++;
      }
    }
    return found;
  }

  /**
   * Sets the selected nodes as {@code node}'s list. With other threads inserting, some may have
   * linked to the node already (see {@link #copyResults}); their links are kept and the
   * selected ones added to them, as back-links are.
   */
  private void setNeighbors(int level, int node, int count) throws IOException {
    if (locks == null) {
      graph.setNeighbors(level, node, selectedNodes, selectedScores, count);
      return;
    }
    synchronized (locks.of(node)) {
      if (graph.degree(level, node) == 0) {
        graph.setNeighbors(level, node, selectedNodes, selectedScores, count);
      } else {
        for (int i = 0; i < count; i++) {
          addLink(level, node, selectedNodes[i], selectedScores[i]);
        }
      }
    }
  }

  private void linkBack(int level, int node, int newNode, float score) throws IOException {
    if (locks == null) {
      addLink(level, node, newNode, score);
    } else {
      synchronized (locks.of(node)) {
        addLink(level, node, newNode, score);
      }
    }
  }

  /**
   * Adds {@code newNode} to the neighbours of {@code node}; if that overflows the list, the least
   * diverse neighbour as the newcomer judges goes ({@link DiversityHeuristic#leastDiverse}).
   */
  private void addLink(int level, int node, int newNode, float score) throws IOException {
    if (locks != null && graph.hasNeighbor(level, node, newNode)) {
      // both ends of a pair inserted at once may each have linked to the other
      return;
    }
    graph.addNeighbor(level, node, newNode, score);
    int degree = graph.degree(level, node);
    if (degree <= graph.maxConn(level)) {
      return;
    }
    // lists are kept nearest first, the order the heuristic reads them in
    int added = -1;
    for (int i = 0; i < degree; i++) {
      pruneScores[i] = graph.neighborScore(level, node, i);
      pruneNodes[i] = graph.neighbor(level, node, i);
      if (pruneNodes[i] == newNode) {
        added = i;
      }
    }
    graph.removeNeighbor(
        level, node, heuristic.leastDiverse(pruneNodes, pruneScores, degree, added));
  }
}
