package org.hnswcodec.tool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.hnswcodec.examples.TexmexFile;

/** Reads {@code .fvecs} files, through the examples' {@link TexmexFile}. */
final class FvecsReader extends VectorReader {

  private final TexmexFile file;

  private FvecsReader(TexmexFile file, RowRange rows) {
    super(rows);
    this.file = file;
  }

  /** Opens {@code path}, positioned at the first row of {@code rows}. */
  static FvecsReader open(Path path, RowRange rows) throws IOException {
    TexmexFile file = new TexmexFile(path);
    try {
      RowRange within = rows.within(file.rows(), path.toString());
      file.seek(within.start());
      return new FvecsReader(file, within);
    } catch (RuntimeException | IOException e) {
      file.close();
      throw e;
    }
  }

  @Override
  int dimension() {
    return file.dimension();
  }

  @Override
  VectorRecord read(long row) throws IOException {
    float[] vector = new float[file.dimension()];
    file.readFloats(vector);
    return new VectorRecord(row, vector, Map.of());
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
