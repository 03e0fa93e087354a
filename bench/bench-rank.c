/* bench-rank.c: ranks 20 and 200 twelve-megapixel photos and compares
 * the time with the decode floor, djpeg -scale 1/4 over the same files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "lk-photo-scorer.h"

#define FACE_PHOTO "/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg"
#define SCENE_PHOTO "/usr/share/backgrounds/Kleiber_by_Lukas_Baubkus.jpg"
#define WIDTH 4000
#define HEIGHT 3000
/* Distinct photos made; larger sets repeat them as separate files. */
#define N_DISTINCT 20

static double
cpu_seconds (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static void
add_noise (GdkPixbuf *pixbuf,
           GRand     *rand)
{
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  gsize length = (gsize) gdk_pixbuf_get_rowstride (pixbuf) * gdk_pixbuf_get_height (pixbuf);

  /* Sensor-like grain: a few levels on every byte. */
  for (gsize i = 0; i < length; i++)
    {
      int value = pixels[i] + (int) g_rand_int_range (rand, -6, 7);

      pixels[i] = (guint8) CLAMP (value, 0, 255);
    }
}

/* A 4000 x 3000 photo: the scene as background, the portrait scaled up
 * somewhere on it, with grain, saved as a camera would (quality 85). */
static void
make_photo (GdkPixbuf  *background,
            GdkPixbuf  *face,
            GRand      *rand,
            const char *path)
{
  g_autoptr(GdkPixbuf) canvas = gdk_pixbuf_copy (background);
  g_autoptr(GError) error = NULL;
  int face_height = g_rand_int_range (rand, 1400, 2600);
  int face_width = face_height * gdk_pixbuf_get_width (face) / gdk_pixbuf_get_height (face);
  int x = g_rand_int_range (rand, 0, WIDTH - face_width);
  int y = HEIGHT - face_height;
  double scale = (double) face_height / gdk_pixbuf_get_height (face);

  gdk_pixbuf_composite (face, canvas, x, y, face_width, face_height,
                        x, y, scale, scale, GDK_INTERP_BILINEAR, 255);
  add_noise (canvas, rand);
  gdk_pixbuf_save (canvas, path, "jpeg", &error, "quality", "85", NULL);
  g_assert_no_error (error);
}

static GPtrArray *
make_photos (const char *dir,
             guint       count)
{
  g_autoptr(GdkPixbuf) face = gdk_pixbuf_new_from_file (FACE_PHOTO, NULL);
  g_autoptr(GdkPixbuf) mirrored = NULL;
  g_autoptr(GdkPixbuf) scene = gdk_pixbuf_new_from_file_at_scale (SCENE_PHOTO, WIDTH, -1, FALSE, NULL);
  g_autoptr(GdkPixbuf) background = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);

  g_assert_nonnull (face);
  g_assert_nonnull (scene);
  mirrored = gdk_pixbuf_flip (face, TRUE);
  background = gdk_pixbuf_scale_simple (scene, WIDTH, HEIGHT, GDK_INTERP_BILINEAR);

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *name = g_strdup_printf ("IMG_%04u.jpg", i);
      char *path = g_build_filename (dir, name, NULL);

      if (i < N_DISTINCT)
        {
          make_photo (background, i % 2 ? mirrored : face, rand, path);
        }
      else
        {
          g_autofree char *contents = NULL;
          gsize length;

          g_assert_true (g_file_get_contents (g_ptr_array_index (paths, i % N_DISTINCT), &contents, &length, NULL));
          g_assert_true (g_file_set_contents (path, contents, length, NULL));
        }

      g_ptr_array_add (paths, path);
    }

  return paths;
}

/* djpeg over every file, @jobs at a time: what decoding alone costs. */
static double
decode_floor (GPtrArray *paths,
              guint      jobs)
{
  gint64 start = g_get_monotonic_time ();
  guint running = 0;

  for (guint i = 0; i <= paths->len; i++)
    {
      while (running > 0 && (running == jobs || i == paths->len))
        {
          int status;

          g_assert_cmpint (wait (&status), >, 0);
          g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
          running--;
        }

      if (i < paths->len)
        {
          const char *argv[] = { "djpeg", "-scale", "1/4", "-outfile", "/dev/null",
                                 g_ptr_array_index (paths, i), NULL };
          g_autoptr(GError) error = NULL;

          g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                         NULL, NULL, NULL, &error);
          g_assert_no_error (error);
          running++;
        }
    }

  return (g_get_monotonic_time () - start) / 1e6;
}

typedef struct
{
  gint64   start;
  gint64   first;
  gboolean done;
} Timing;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Timing     *timing)
{
  if (timing->first == 0 && added > 0)
    timing->first = g_get_monotonic_time ();
}

static void
add_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_photo_scorer_add_finish (LK_PHOTO_SCORER (object), result, &error));
  ((Timing *) user_data)->done = TRUE;
}

/* Runs in a child process of its own, so its peak memory is its own. */
static int
rank (const char *dir)
{
  g_autoptr(LkPhotoScorer) scorer = lk_photo_scorer_new ();
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  Timing timing = { 0 };
  struct rusage usage;
  double cpu = cpu_seconds (RUSAGE_SELF);

  /* As the Photos page does. */
  lk_photo_scorer_set_thumbnail_size (scorer, 256);
  g_signal_connect (lk_photo_scorer_get_photos (scorer), "items-changed", G_CALLBACK (items_changed_cb), &timing);

  timing.start = g_get_monotonic_time ();
  lk_photo_scorer_add_async (scorer, &file, 1, NULL, add_done_cb, &timing);
  while (!timing.done)
    g_main_context_iteration (NULL, TRUE);

  getrusage (RUSAGE_SELF, &usage);
  g_print ("%.3f %.3f %.3f %ld %u %u\n",
           (g_get_monotonic_time () - timing.start) / 1e6,
           cpu_seconds (RUSAGE_SELF) - cpu,
           (timing.first - timing.start) / 1e6,
           usage.ru_maxrss,
           g_list_model_get_n_items (lk_photo_scorer_get_photos (scorer)),
           lk_photo_scorer_get_face_checks (scorer));

  return 0;
}

static void
run (const char *self_path,
     guint       count)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("likeness-bench-rank-XXXXXX", &error);
  g_autofree char *output = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  const char *argv[] = { self_path, "--rank", dir, NULL };
  double wall, cpu, first, floor_one, floor_all;
  long rss;
  guint scored, face_checks;
  int status;
  gint64 start = g_get_monotonic_time ();

  g_assert_no_error (error);
  paths = make_photos (dir, count);
  g_print ("# %u photos of %d x %d made in %.1f s in %s\n", count, WIDTH, HEIGHT,
           (g_get_monotonic_time () - start) / 1e6, dir);

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &output, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpint (sscanf (output, "%lf %lf %lf %ld %u %u", &wall, &cpu, &first, &rss, &scored, &face_checks), ==, 6);
  g_assert_cmpuint (scored, ==, count);

  floor_one = decode_floor (paths, 1);
  floor_all = decode_floor (paths, g_get_num_processors ());

  g_print ("photos:                 %u (face checks %s, %u cores)\n", count, face_checks ? "on" : "off",
           g_get_num_processors ());
  g_print ("ranking wall time:      %.2f s (%.0f ms a photo)\n", wall, wall * 1000 / count);
  g_print ("ranking CPU time:       %.2f s\n", cpu);
  g_print ("first photo scored:     %.3f s (target <= 0.3 s)\n", first);
  g_print ("peak RSS:               %.1f MB (target <= 300 MB for 200 photos)\n", rss / 1024.0);
  g_print ("decode floor, 1 job:    %.2f s (djpeg -scale 1/4, one after another)\n", floor_one);
  g_print ("decode floor, %u jobs:   %.2f s (djpeg -scale 1/4, one per core)\n", g_get_num_processors (), floor_all);
  g_print ("ranking / floor:        %.2f x the parallel floor, %.2f x the serial floor (target <= 1.5)\n\n",
           wall / floor_all, wall / floor_one);

  for (guint i = 0; i < paths->len; i++)
    g_unlink (g_ptr_array_index (paths, i));
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");

  if (argc == 3 && g_str_equal (argv[1], "--rank"))
    return rank (argv[2]);

  if (!g_find_program_in_path ("djpeg"))
    {
      g_printerr ("djpeg (libjpeg-turbo-progs) is needed for the decode floor\n");
      return 77;
    }

  run (argv[0], 20);
  run (argv[0], 200);

  return 0;
}
