# Русский
contents = Содержание
unanswered = Ответа пока нет.
level-junior = Начальный
level-mid = Средний
level-senior = Продвинутый
part-number = Часть { $number }
count-questions =
    { $count ->
        [one] { $count } вопрос
        [few] { $count } вопроса
        [many] { $count } вопросов
       *[other] { $count } вопроса
    }
version = Версия { $version }
part-heading = Часть { $number }. { $title }
toc-count =
    { $count ->
        [one] ({ $count } вопрос)
        [few] ({ $count } вопроса)
        [many] ({ $count } вопросов)
       *[other] ({ $count } вопроса)
    }
cheatsheet-title = шпаргалка
cheatsheet-meta =
    { $count ->
        [one] Шпаргалка · { $count } вопрос · версия { $version }
        [few] Шпаргалка · { $count } вопроса · версия { $version }
        [many] Шпаргалка · { $count } вопросов · версия { $version }
       *[other] Шпаргалка · { $count } вопроса · версия { $version }
    }
quiz-title = тест
quiz-instructions =
    { $count ->
        [one] Тест · { $count } вопрос. Ответьте на него вслух или на бумаге, прежде чем смотреть ответы в конце.
        [few] Тест · { $count } вопроса. Ответьте на каждый вслух или на бумаге, прежде чем смотреть ответы в конце.
        [many] Тест · { $count } вопросов. Ответьте на каждый вслух или на бумаге, прежде чем смотреть ответы в конце.
       *[other] Тест · { $count } вопроса. Ответьте на каждый вслух или на бумаге, прежде чем смотреть ответы в конце.
    }
answer-key = Ответы
book-counts =
    { $questions ->
        [one] { $questions } вопрос
        [few] { $questions } вопроса
        [many] { $questions } вопросов
       *[other] { $questions } вопроса
    } в { $sections ->
        [one] { $sections } разделе
       *[other] { $sections } разделах
    }.
book-counts-unanswered =
    { $questions ->
        [one] { $questions } вопрос
        [few] { $questions } вопроса
        [many] { $questions } вопросов
       *[other] { $questions } вопроса
    } в { $sections ->
        [one] { $sections } разделе
       *[other] { $sections } разделах
    } (без ответа: { $unanswered }).
edition = Версия { $version } · обновлено { $date }
accessibility-summary = Вопросы и ответы в виде перетекающего текста: каждая часть, раздел и вопрос — заголовок, доступный из оглавления. Блоки кода — это текст; подсветка использует не только цвет, но и насыщенность и курсив и никогда не задаёт фон, поэтому темы читалки (ночная, сепия) и изменение размера текста работают.
whats-new = Что нового в версии { $version }
whats-new-first = Первая версия
whats-new-added = Добавлены
whats-new-changed = Изменены
whats-new-removed = Удалены
whats-new-none = Ни один вопрос не изменился.
whats-new-first-count = { whats-new-first }: { $questions }.
whats-new-line = { $label }: { $text }
whats-new-more = { $label }: ещё { $count }.
whats-new-counts = добавлено: { $added }, изменено: { $changed }, удалено: { $removed }
retired-front = Удалён в версии { $version }: { $question }
retired-back = Этот вопрос удалён из банка в версии { $version }. Удалите эту заметку или оставьте её для справки: поиск { $search } в браузере находит все удалённые вопросы.
xref-number = вопрос{ "\u00A0" }{ $number }
xref-number-page = вопрос{ "\u00A0" }{ $number }, с.{ "\u00A0" }{ $page }
deck-version = { $title }, версия { $version }
