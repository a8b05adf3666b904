# qbank's fixed strings, in English: the reference every other language is checked against.
# Syntax: Project Fluent (https://projectfluent.org). `{ $name }` is a value qbank passes in;
# plurals select on CLDR categories (zero, one, two, few, many, other).

## Every output
contents = Contents
unanswered = Not answered yet.
level-junior = Junior
level-mid = Mid-level
level-senior = Senior
part-number = Part { $number }
count-questions =
    { $count ->
        [one] { $count } question
       *[other] { $count } questions
    }

## The printed book
version = Version { $version }
part-heading = Part { $number }. { $title }
toc-count =
    { $count ->
        [one] ({ $count } question)
       *[other] ({ $count } questions)
    }

## The cheat sheet and the quiz
cheatsheet-title = cheat sheet
cheatsheet-meta =
    { $count ->
        [one] Cheat sheet · { $count } question · version { $version }
       *[other] Cheat sheet · { $count } questions · version { $version }
    }
quiz-title = quiz
quiz-instructions =
    { $count ->
        [one] Quiz · { $count } question. Answer it aloud or on paper before you turn to the key at the end.
       *[other] Quiz · { $count } questions. Answer each one aloud or on paper before you turn to the key at the end.
    }
answer-key = Answer key

## The EPUB title page and metadata
book-counts =
    { $questions ->
        [one] { $questions } question
       *[other] { $questions } questions
    } in { $sections ->
        [one] { $sections } section
       *[other] { $sections } sections
    }.
book-counts-unanswered =
    { $questions ->
        [one] { $questions } question
       *[other] { $questions } questions
    } in { $sections ->
        [one] { $sections } section
       *[other] { $sections } sections
    } ({ $unanswered } not answered yet).
edition = Version { $version } · updated { $date }
accessibility-summary = Questions and answers as reflowable text: each part, section and question is a heading reachable from the table of contents. Code blocks are text; their highlighting uses weight and italics as well as colour, and never sets a background, so reader themes (night, sepia) and text resizing apply.
whats-new = What's new in { $version }
whats-new-first = First version
whats-new-added = Added
whats-new-changed = Changed
whats-new-removed = Removed
whats-new-none = No question changed.

## "What's new" as plain lines: Anki deck descriptions and `qbank changes`
# $questions is `count-questions` above, e.g. "421 questions".
whats-new-first-count = { whats-new-first }: { $questions }.
# $label is one of whats-new-added, -changed, -removed; $text a question.
whats-new-line = { $label }: { $text }
whats-new-more = { $label }: { $count } more.
whats-new-counts = { $added } added, { $changed } changed, { $removed } removed

## Anki deck descriptions: the deck's title (a section's is "Section — Bank") and version
deck-version = { $title }, version { $version }

## The Anki note that replaces a removed question's
retired-front = Removed in version { $version }: { $question }
# $search is the Anki search that finds every removed question, e.g. tag:qbank::removed.
retired-back = This question was removed from the bank in version { $version }. Delete this note, or keep it for reference: searching the browser for { $search } finds every removed question.

## A cross-reference in the printed book and quiz: the question's number and, in a PDF, its
## page. `{ "\u00A0" }` is a no-break space.
xref-number = Q{ "\u00A0" }{ $number }
xref-number-page = Q{ "\u00A0" }{ $number }, p.{ "\u00A0" }{ $page }
