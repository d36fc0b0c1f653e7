/*
 * The per-object and per-glyph loops of skillmatch's PDF reader, in C.
 *
 * Reading a page asks pdfium a few questions about each of its page objects (the hidden-text
 * screen) and each of its glyphs (the loose boxes words are rebuilt from). From Python every
 * question is a ctypes call costing about 0.4 us, several times pdfium's own answer, and some
 * exporters (wkhtmltopdf) draw every glyph as its own text object: 2,000 objects a page, 15,000
 * calls. These loops ask the same questions in C and hand back arrays; every decision is still
 * made in Python (skillmatch/read/pdf_hidden.py, pdf_glyphs.py), and skillmatch/read/pdf_native.py
 * has the same loops in Python for when this library is not built.
 *
 * It links to nothing: pdfium's functions come in as pointers taken from pypdfium2's own
 * bindings, so it always calls the pdfium that pypdfium2 loaded. It is not a Python extension
 * module (no Python.h); pdf_native.py loads it with ctypes.
 */

#include <stddef.h>
#include <stdint.h>

typedef void *Handle;

/* pdfium's functions, in the order pdf_native.Calls lists them. */
typedef struct {
    Handle (*get_object)(Handle container, int index); /* FPDFPage_GetObject or FPDFFormObj_GetObject */
    int (*get_type)(Handle obj);                       /* FPDFPageObj_GetType */
    int (*render_mode)(Handle obj);                    /* FPDFTextObj_GetTextRenderMode */
    int (*bounds)(Handle obj, float *, float *, float *, float *); /* FPDFPageObj_GetBounds */
    int (*fill_colour)(Handle obj, unsigned *, unsigned *, unsigned *, unsigned *);
    int (*has_transparency)(Handle obj);               /* FPDFPageObj_HasTransparency */
    Handle (*get_clip)(Handle obj);                    /* FPDFPageObj_GetClipPath */
    int (*count_paths)(Handle clip);                   /* FPDFClipPath_CountPaths */
    int (*count_marks)(Handle obj);                    /* FPDFPageObj_CountMarks */
    Handle (*get_font)(Handle obj);                    /* FPDFTextObj_GetFont */
    Handle (*text_object)(Handle textpage, int index); /* FPDFText_GetTextObject */
    int (*loose_box)(Handle textpage, int index, float *rect); /* FPDFText_GetLooseCharBox */
    int (*font_size)(Handle obj, float *size);        /* FPDFTextObj_GetFontSize */
    int (*matrix)(Handle obj, float *matrix);          /* FPDFPageObj_GetMatrix (a b c d e f) */
    Handle (*get_mark)(Handle obj, unsigned long index); /* FPDFPageObj_GetMark */
    int (*mark_name)(Handle mark, void *buffer, unsigned long length, unsigned long *needed);
    int (*count_segments)(Handle clip, int path);      /* FPDFClipPath_CountPathSegments */
    Handle (*get_segment)(Handle clip, int path, int index); /* FPDFClipPath_GetPathSegment */
    int (*segment_point)(Handle segment, float *x, float *y); /* FPDFPathSegment_GetPoint */
    int (*segment_type)(Handle segment);               /* FPDFPathSegment_GetType */
} Calls;

/* Bumped whenever a signature or a table layout below changes; pdf_native.py checks it. */
int sm_version(void) { return 4; }

/* How many of an object's content marks are named OC. */
static int optional_marks(const Calls *calls, Handle obj)
{
    int count = calls->count_marks(obj), optional = 0;
    for (int index = 0; index < count; index++) {
        unsigned short name[32];
        unsigned long needed = 0;
        Handle mark = calls->get_mark(obj, (unsigned long)index);
        if (mark && calls->mark_name(mark, name, sizeof name, &needed) && name[0] == 'O'
            && name[1] == 'C' && name[2] == 0)
            optional++;
    }
    return optional;
}

/*
 * When ``clip`` is one path drawing an axis-aligned rectangle (a move and three or four lines,
 * each along an axis), its left, bottom, right and top go to ``rect``; otherwise ``rect`` is
 * left alone.
 */
static void clip_rectangle(const Calls *calls, Handle clip, float *rect)
{
    int count = calls->count_segments(clip, 0);
    if (count < 4 || count > 5)
        return;
    float xs[5], ys[5];
    for (int index = 0; index < count; index++) {
        Handle segment = calls->get_segment(clip, 0, index);
        int type = segment ? calls->segment_type(segment) : -1;
        if (type != (index == 0 ? 2 : 0) || !calls->segment_point(segment, xs + index, ys + index))
            return; /* 2: FPDF_SEGMENT_MOVETO, 0: FPDF_SEGMENT_LINETO */
        if (index > 0 && xs[index] != xs[index - 1] && ys[index] != ys[index - 1])
            return; /* a slanted edge */
    }
    if (xs[count - 1] != xs[0] && ys[count - 1] != ys[0])
        return;
    float left = xs[0], right = xs[0], bottom = ys[0], top = ys[0];
    for (int index = 1; index < count; index++) {
        left = xs[index] < left ? xs[index] : left;
        right = xs[index] > right ? xs[index] : right;
        bottom = ys[index] < bottom ? ys[index] : bottom;
        top = ys[index] > top ? ys[index] : top;
    }
    rect[0] = left, rect[1] = bottom, rect[2] = right, rect[3] = top;
}

/* The columns of a row of sm_scan_objects' table (pdf_native.py names them). */
enum { HANDLE, KIND, MODE, FILL, TRANSPARENT, CLIP_PATHS, OPTIONAL, FONT, SIZED, COLUMNS };
/* The columns of a row of its ``geometry``. */
enum { LEFT, BOTTOM, RIGHT, TOP, SIZE, A, B, C, D, CLIP_LEFT, CLIP_BOTTOM, CLIP_RIGHT, CLIP_TOP, FLOATS };

/*
 * One row per object of ``container`` (a page, or a form object with get_object set to
 * FPDFFormObj_GetObject): its handle, type and text render mode (-1: not text) and, for text
 * objects, its fill colour (r | g << 16 | b << 32 | a << 48, -1 when pdfium cannot give it),
 * whether it has transparency, its clip path count (-1: no clip), how many of its content marks
 * are named OC (optional content; tagged PDFs mark every object, rarely as OC), its font and
 * whether pdfium gave its font size and matrix. ``geometry`` gets, for text objects, the
 * bounds (left, bottom, right, top), the font size, the matrix's a, b, c, d and, when its clip
 * is one rectangle, that rectangle (zeros for the rest).
 */
void sm_scan_objects(const Calls *calls, Handle container, int count, int64_t *table,
                     float *geometry)
{
    for (int index = 0; index < count; index++) {
        int64_t *row = table + (size_t)index * COLUMNS;
        float *floats = geometry + (size_t)index * FLOATS;
        Handle obj = calls->get_object(container, index);
        for (int k = 0; k < FLOATS; k++)
            floats[k] = 0.0f;
        row[HANDLE] = (int64_t)(intptr_t)obj;
        row[KIND] = obj ? calls->get_type(obj) : -1;
        row[MODE] = obj ? calls->render_mode(obj) : -1;
        row[FILL] = row[TRANSPARENT] = row[CLIP_PATHS] = row[OPTIONAL] = row[FONT] = -1;
        row[SIZED] = 0;
        if (row[MODE] < 0)
            continue;
        calls->bounds(obj, floats + LEFT, floats + BOTTOM, floats + RIGHT, floats + TOP);
        unsigned red, green, blue, alpha;
        if (calls->fill_colour(obj, &red, &green, &blue, &alpha))
            row[FILL] = (int64_t)red | ((int64_t)green << 16) | ((int64_t)blue << 32)
                        | ((int64_t)alpha << 48);
        row[TRANSPARENT] = calls->has_transparency(obj);
        Handle clip = calls->get_clip(obj);
        row[CLIP_PATHS] = clip ? calls->count_paths(clip) : -1;
        if (row[CLIP_PATHS] == 1)
            clip_rectangle(calls, clip, floats + CLIP_LEFT);
        row[OPTIONAL] = optional_marks(calls, obj);
        row[FONT] = (int64_t)(intptr_t)calls->get_font(obj);
        float matrix[6];
        if (calls->font_size(obj, floats + SIZE) && calls->matrix(obj, matrix)) {
            row[SIZED] = 1;
            for (int k = 0; k < 4; k++)
                floats[A + k] = matrix[k];
        }
    }
}

/* The text object of each of a text page's first ``count`` characters (0 for none). */
void sm_char_objects(const Calls *calls, Handle textpage, int count, int64_t *objects)
{
    for (int index = 0; index < count; index++)
        objects[index] = (int64_t)(intptr_t)calls->text_object(textpage, index);
}

/*
 * The loose box (left, top, right, bottom) of each character whose ``skip`` byte is 0; the
 * others keep what ``boxes`` holds.
 */
void sm_loose_boxes(const Calls *calls, Handle textpage, int count, const uint8_t *skip,
                    float *boxes)
{
    for (int index = 0; index < count; index++)
        if (!skip[index])
            calls->loose_box(textpage, index, boxes + (size_t)index * 4);
}
