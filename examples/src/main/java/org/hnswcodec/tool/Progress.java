package org.hnswcodec.tool;

import java.text.DecimalFormat;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar with rate and ETA on standard error, or nothing when disabled. */
final class Progress implements AutoCloseable {

  private final ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  /**
   * @param task what is in progress
   * @param total how many steps make it complete
   * @param unit what one step is, for the rate
   */
  static Progress start(String task, long total, String unit, boolean enabled) {
    if (enabled == false) {
      return new Progress(null);
    }
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" " + unit, 1)
            .showSpeed(new DecimalFormat("#,##0"))
            .setSpeedUnit(ChronoUnit.SECONDS)
            .setUpdateIntervalMillis(250)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .build();
    return new Progress(bar);
  }

  void step() {
    if (bar != null) {
      bar.step();
    }
  }

  /** Shows a note beside the bar, e.g. the phase after the last step. */
  void note(String message) {
    if (bar != null) {
      bar.setExtraMessage(message);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
