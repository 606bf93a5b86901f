package org.hnswcodec.tool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * The files of a benchmark dataset: base vectors, query vectors and exact ground truth (the nearest
 * base rows of each query row, nearest first).
 *
 * @param name what the reports call it
 * @param groundTruth the ground-truth file, or null where bench computes the ground truth
 */
record Dataset(
    String name, Path base, Path queries, Path groundTruth, VectorSimilarityFunction similarity) {

  /** Property naming the repository root; the launcher script sets it. */
  static final String REPO_PROPERTY = "hnswtool.repo";

  /** Where the bundled datasets are, relative to the repository root. */
  static final Path DATA_DIR = Path.of("examples", "data");

  /** The bundled datasets by name, for help and messages. */
  static final String BUNDLED_NAMES =
      "sift (9,900 SIFT descriptors, 128-d, L2, 100 queries),"
          + " fiori (700 MiniLM text embeddings, 384-d, cosine, 78 queries)";

  private record Bundled(
      String directory,
      String base,
      String queries,
      String groundTruth,
      VectorSimilarityFunction similarity) {}

  private static final Map<String, Bundled> BUNDLED =
      Map.of(
          "sift",
          new Bundled(
              "bigann10k",
              "bigann10k_disjoint_base.fvecs",
              "bigann10k_query.fvecs",
              "bigann10k_disjoint_groundtruth.ivecs",
              VectorSimilarityFunction.EUCLIDEAN),
          "fiori",
          new Bundled(
              "fiori-docs-minilm384",
              "fiori_base.fvecs",
              "fiori_query.fvecs",
              "fiori_groundtruth.ivecs",
              VectorSimilarityFunction.COSINE));

  /**
   * A bundled dataset by name, from {@code examples/data/} under the repository root.
   *
   * @throws InputException for an unknown name or missing files
   */
  static Dataset bundled(String name, Path repoRoot) {
    Bundled bundled = BUNDLED.get(name.toLowerCase(Locale.ROOT));
    if (bundled == null) {
      throw new InputException("no bundled dataset \"" + name + "\"; there are: " + BUNDLED_NAMES);
    }
    Path directory = repoRoot.resolve(DATA_DIR).resolve(bundled.directory());
    Dataset dataset =
        new Dataset(
            name.toLowerCase(Locale.ROOT),
            directory.resolve(bundled.base()),
            directory.resolve(bundled.queries()),
            directory.resolve(bundled.groundTruth()),
            bundled.similarity());
    for (Path file : new Path[] {dataset.base, dataset.queries, dataset.groundTruth}) {
      if (Files.isRegularFile(file) == false) {
        throw new InputException(
            "the bundled dataset \""
                + name
                + "\" should be at "
                + file
                + ", which is missing;"
                + " pass its files with --base, --queries and --groundtruth instead");
      }
    }
    return dataset;
  }

  /**
   * The repository root: the {@value #REPO_PROPERTY} property if set, else the nearest directory at
   * or above the working directory that has {@code examples/data}, else the working directory.
   */
  static Path repoRoot() {
    String property = System.getProperty(REPO_PROPERTY);
    if (property != null) {
      return Path.of(property);
    }
    Path cwd = Path.of("").toAbsolutePath();
    for (Path dir = cwd; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(DATA_DIR))) {
        return dir;
      }
    }
    return cwd;
  }

  /**
   * This dataset with its base grown to {@code size} rows ({@link GrownBase}): named so that
   * reports and output files tell the two apart, and without a ground-truth file, which describes
   * the original rows.
   */
  Dataset grown(int size) {
    return new Dataset(name + "-grown" + size, base, queries, null, similarity);
  }
}
