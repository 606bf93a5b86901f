package org.hnswcodec.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.hnswcodec.examples.TexmexFile;

/**
 * Reads the ground truth that search and bench measure recall against: an {@code .ivecs} file
 * holding, for each row of the queries file, the exact nearest rows of the indexed file, nearest
 * first.
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
}
