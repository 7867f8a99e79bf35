package dev.tta.models.selection;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A selection's dropped models, immutable; the detail texts are written on first read, so that a
 * selection that drops most of a large catalog formats nothing unless someone looks.
 */
final class Rejections extends AbstractList<DroppedModel> implements RandomAccess {

  private final Rejection[] rejections;
  private final int size;
  private volatile List<DroppedModel> dropped;

  Rejections(Rejection[] rejections, int size) {
    this.rejections = rejections;
    this.size = size;
  }

  @Override
  public DroppedModel get(int index) {
    return dropped().get(index);
  }

  @Override
  public int size() {
    return size;
  }

  private List<DroppedModel> dropped() {
    List<DroppedModel> written = dropped;
    if (written == null) {
      List<DroppedModel> models = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        models.add(rejections[i].toDroppedModel());
      }
      written = List.copyOf(models);
      dropped = written;
    }
    return written;
  }
}
