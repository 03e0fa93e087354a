/* lk-style-strings.h: the names and descriptions of the built-in styles,
 * for xgettext; never compiled. LkStyleLibrary translates them at load.
 * Written by build-aux/extract-style-strings.py from data/styles.json:
 * edit that file and run the script instead of editing this one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Translators: a category of portrait styles in the gallery. */
NC_("style category", "Professional");

/* Translators: a category of portrait styles in the gallery. */
NC_("style category", "Everyday");

/* Translators: a category of portrait styles in the gallery. */
NC_("style category", "Photographic");

/* Translators: a category of portrait styles in the gallery. */
NC_("style category", "Cinematic");

/* Translators: a category of portrait styles in the gallery. */
NC_("style category", "Artistic");

/* Translators: a category of portrait styles in the gallery. */
NC_("style category", "Fantasy");

/* Translators: the name of a portrait style (Professional), shown on its card. */
N_("Business Headshot");
/* Translators: the one-line description of the portrait style “Business Headshot”. */
N_("A crisp corporate headshot for profiles and CVs");

/* Translators: the name of a portrait style (Professional), shown on its card. */
N_("Approachable Professional");
/* Translators: the one-line description of the portrait style “Approachable Professional”. */
N_("A warm, open headshot that invites a conversation");

/* Translators: the name of a portrait style (Professional), shown on its card. */
N_("Executive Portrait");
/* Translators: the one-line description of the portrait style “Executive Portrait”. */
N_("A commanding boardroom portrait with depth and polish");

/* Translators: the name of a portrait style (Everyday), shown on its card. */
N_("Casual");
/* Translators: the one-line description of the portrait style “Casual”. */
N_("Relaxed and natural, like a photo a friend took");

/* Translators: the name of a portrait style (Everyday), shown on its card. */
N_("Golden Hour");
/* Translators: the one-line description of the portrait style “Golden Hour”. */
N_("Outdoors in the warm light just before sunset");

/* Translators: the name of a portrait style (Everyday), shown on its card. */
N_("Urban Street");
/* Translators: the one-line description of the portrait style “Urban Street”. */
N_("A street-style portrait against the city");

/* Translators: the name of a portrait style (Photographic), shown on its card. */
N_("Classic Studio");
/* Translators: the one-line description of the portrait style “Classic Studio”. */
N_("Timeless studio lighting on a seamless backdrop");

/* Translators: the name of a portrait style (Photographic), shown on its card. */
N_("Black and White");
/* Translators: the one-line description of the portrait style “Black and White”. */
N_("Elegant monochrome with rich tones");

/* Translators: the name of a portrait style (Photographic), shown on its card. */
N_("Vintage Film");
/* Translators: the one-line description of the portrait style “Vintage Film”. */
N_("The colours and grain of a 1970s film photo");

/* Translators: the name of a portrait style (Photographic), shown on its card. */
N_("Instant Photo");
/* Translators: the one-line description of the portrait style “Instant Photo”. */
N_("A casual instant-camera snapshot with flash");

/* Translators: the name of a portrait style (Cinematic), shown on its card. */
N_("Cinematic");
/* Translators: the one-line description of the portrait style “Cinematic”. */
N_("A film still with widescreen drama");

/* Translators: the name of a portrait style (Cinematic), shown on its card. */
N_("Film Noir");
/* Translators: the one-line description of the portrait style “Film Noir”. */
N_("Hard shadows and mystery from 1940s cinema");

/* Translators: the name of a portrait style (Cinematic), shown on its card. */
N_("Neon Night");
/* Translators: the one-line description of the portrait style “Neon Night”. */
N_("Lit by neon signs on a rainy street");

/* Translators: the name of a portrait style (Fantasy), shown on its card. */
N_("Cyberpunk");
/* Translators: the one-line description of the portrait style “Cyberpunk”. */
N_("A high-tech future with chrome and holograms");

/* Translators: the name of a portrait style (Fantasy), shown on its card. */
N_("Fantasy Hero");
/* Translators: the one-line description of the portrait style “Fantasy Hero”. */
N_("An epic hero from a fantasy saga");

/* Translators: the name of a portrait style (Fantasy), shown on its card. */
N_("Royal Portrait");
/* Translators: the one-line description of the portrait style “Royal Portrait”. */
N_("A regal portrait worthy of a palace gallery");

/* Translators: the name of a portrait style (Fantasy), shown on its card. */
N_("Astronaut");
/* Translators: the one-line description of the portrait style “Astronaut”. */
N_("Suited up among the stars");

/* Translators: the name of a portrait style (Artistic), shown on its card. */
N_("Anime");
/* Translators: the one-line description of the portrait style “Anime”. */
N_("Hand-drawn anime character style");

/* Translators: the name of a portrait style (Artistic), shown on its card. */
N_("Oil Painting");
/* Translators: the one-line description of the portrait style “Oil Painting”. */
N_("A classical oil portrait with visible brushwork");

/* Translators: the name of a portrait style (Artistic), shown on its card. */
N_("Watercolour");
/* Translators: the one-line description of the portrait style “Watercolour”. */
N_("Soft washes of colour on textured paper");

/* Translators: the name of a portrait style (Artistic), shown on its card. */
N_("Pencil Sketch");
/* Translators: the one-line description of the portrait style “Pencil Sketch”. */
N_("A careful graphite drawing");

/* Translators: the name of a portrait style (Artistic), shown on its card. */
N_("Pop Art");
/* Translators: the one-line description of the portrait style “Pop Art”. */
N_("Bold colours and halftone dots");

/* Translators: the name of a portrait style (Artistic), shown on its card. */
N_("Comic Book");
/* Translators: the one-line description of the portrait style “Comic Book”. */
N_("A panel from a superhero comic");

/* Translators: the name of a portrait style (Artistic), shown on its card. */
N_("Renaissance");
/* Translators: the one-line description of the portrait style “Renaissance”. */
N_("Painted by an Old Master");
