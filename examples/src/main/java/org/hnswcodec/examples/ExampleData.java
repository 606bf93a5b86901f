package org.hnswcodec.examples;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Locates the data bundled in {@code examples/data/}. Paths are relative to the working directory,
 * which is the repository root when an example runs through {@code mvn exec:exec}.
 */
public final class ExampleData {

  /** The bundled data directory, relative to the repository root. */
  public static final Path DIRECTORY = Path.of("examples", "data");

  private ExampleData() {}

  /**
   * A bundled file, such as {@code "bigann10k/bigann10k_query.fvecs"}.
   *
   * @throws NoSuchFileException if it is missing, usually because the example was started from a
   *     directory other than the repository root
   */
  public static Path file(String relativePath) throws NoSuchFileException {
    Path path = DIRECTORY.resolve(relativePath);
    if (Files.isRegularFile(path) == false) {
      throw new NoSuchFileException(
          path.toAbsolutePath().toString(),
          null,
          "bundled example data not found; run the examples from the repository root");
    }
    return path;
  }
}
