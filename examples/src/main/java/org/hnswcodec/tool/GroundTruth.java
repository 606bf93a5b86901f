package org.hnswcodec.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.hnswcodec.examples.ExactNeighbors;
import org.hnswcodec.examples.TexmexFile;

/**
 * The ground truth that search and bench measure recall against: for each row of the queries file,
 * the exact nearest rows of the indexed file, nearest first. Read from an {@code .ivecs} file, or
 * computed by brute force when bench indexes rows that no file's ground truth describes.
 */
final class GroundTruth {

  private GroundTruth() {}

  /**
   * Reads the ground truth of {@code queries}, which must have a row with at least {@code k} ids
   * for every query row.
   *
   * @throws InputException if it does not
   */
  static int[][] read(Path file, List<VectorRecord> queries, int k) throws IOException {
    if (Files.isRegularFile(file) == false) {
      throw new NoSuchFileException(file.toString(), null, "no such file");
    }
    int[][] truth = TexmexFile.readIvecs(file);
    long lastQueryRow = queries.getLast().row();
    if (truth.length <= lastQueryRow) {
      throw new InputException(
          file + " has " + truth.length + " rows; the queries go up to row " + lastQueryRow);
    }
    if (truth[0].length < k) {
      throw new InputException(
          file + " has " + truth[0].length + " neighbours per query; recall@" + k + " needs " + k);
    }
    return truth;
  }

  /**
   * For each query row, the {@code k} rows of {@code rows} nearest to it, nearest first, scored
   * exhaustively; indexed by query row as a ground-truth file is.
   */
  static int[][] exact(
      List<VectorRecord> rows,
      List<VectorRecord> queries,
      VectorSimilarityFunction similarity,
      int k) {
    float[][] vectors = rows.stream().map(VectorRecord::vector).toArray(float[][]::new);
    int[][] truth = new int[(int) queries.getLast().row() + 1][];
    for (VectorRecord query : queries) {
      int[] nearest = ExactNeighbors.topK(vectors, query.vector(), k, similarity);
      int[] ids = new int[nearest.length];
      for (int i = 0; i < nearest.length; i++) {
        ids[i] = (int) rows.get(nearest[i]).row();
      }
      truth[(int) query.row()] = ids;
    }
    return truth;
  }
}
