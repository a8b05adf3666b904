# العربية
contents = المحتويات
unanswered = لم تتم الإجابة بعد.
level-junior = مبتدئ
level-mid = متوسط
level-senior = متقدم
part-number = الجزء { $number }
count-questions =
    { $count ->
        [zero] { $count } سؤال
        [one] سؤال واحد
        [two] سؤالان
        [few] { $count } أسئلة
        [many] { $count } سؤالًا
       *[other] { $count } سؤال
    }
version = الإصدار { $version }
part-heading = الجزء { $number }. { $title }
toc-count =
    { $count ->
        [zero] ({ $count } سؤال)
        [one] (سؤال واحد)
        [two] (سؤالان)
        [few] ({ $count } أسئلة)
        [many] ({ $count } سؤالًا)
       *[other] ({ $count } سؤال)
    }
cheatsheet-title = ورقة المراجعة
cheatsheet-meta =
    { $count ->
        [one] ورقة المراجعة · سؤال واحد · الإصدار { $version }
        [two] ورقة المراجعة · سؤالان · الإصدار { $version }
        [few] ورقة المراجعة · { $count } أسئلة · الإصدار { $version }
        [many] ورقة المراجعة · { $count } سؤالًا · الإصدار { $version }
       *[other] ورقة المراجعة · { $count } سؤال · الإصدار { $version }
    }
quiz-title = اختبار
quiz-instructions =
    { $count ->
        [one] اختبار · سؤال واحد. أجب عنه بصوت عالٍ أو على الورق قبل الانتقال إلى مفتاح الإجابات في النهاية.
        [two] اختبار · سؤالان. أجب عن كل منهما بصوت عالٍ أو على الورق قبل الانتقال إلى مفتاح الإجابات في النهاية.
        [few] اختبار · { $count } أسئلة. أجب عن كل سؤال بصوت عالٍ أو على الورق قبل الانتقال إلى مفتاح الإجابات في النهاية.
        [many] اختبار · { $count } سؤالًا. أجب عن كل سؤال بصوت عالٍ أو على الورق قبل الانتقال إلى مفتاح الإجابات في النهاية.
       *[other] اختبار · { $count } سؤال. أجب عن كل سؤال بصوت عالٍ أو على الورق قبل الانتقال إلى مفتاح الإجابات في النهاية.
    }
answer-key = مفتاح الإجابات
book-counts =
    { $questions ->
        [one] سؤال واحد
        [two] سؤالان
        [few] { $questions } أسئلة
        [many] { $questions } سؤالًا
       *[other] { $questions } سؤال
    } في { $sections ->
        [one] قسم واحد
        [two] قسمين
        [few] { $sections } أقسام
        [many] { $sections } قسمًا
       *[other] { $sections } قسم
    }.
book-counts-unanswered =
    { $questions ->
        [one] سؤال واحد
        [two] سؤالان
        [few] { $questions } أسئلة
        [many] { $questions } سؤالًا
       *[other] { $questions } سؤال
    } في { $sections ->
        [one] قسم واحد
        [two] قسمين
        [few] { $sections } أقسام
        [many] { $sections } قسمًا
       *[other] { $sections } قسم
    } (بلا إجابة بعد: { $unanswered }).
edition = الإصدار { $version } · آخر تحديث { $date }
accessibility-summary = أسئلة وأجوبة في نص قابل لإعادة التدفق: كل جزء وقسم وسؤال عنوانٌ يمكن الوصول إليه من جدول المحتويات. كتل الشيفرة نص؛ ويستخدم تلوينها سُمك الخط والمائل إلى جانب اللون، ولا يعيّن خلفية أبدًا، فتنطبق سمات القارئ (الليلي، البني الداكن) وتغيير حجم النص.
whats-new = ما الجديد في الإصدار { $version }
whats-new-first = الإصدار الأول
whats-new-added = أُضيفت
whats-new-changed = عُدّلت
whats-new-removed = أُزيلت
whats-new-none = لم يتغيّر أي سؤال.
whats-new-first-count = { whats-new-first }: { $questions }.
whats-new-line = { $label }: { $text }
whats-new-more = { $label }: { $count } أخرى.
whats-new-counts = أُضيف: { $added }، تغيّر: { $changed }، أُزيل: { $removed }
retired-front = أُزيل في الإصدار { $version }: { $question }
retired-back = أُزيل هذا السؤال من البنك في الإصدار { $version }. احذف هذه الملاحظة أو احتفظ بها للرجوع إليها: البحث عن { $search } في المتصفح يعثر على كل الأسئلة المُزالة.
xref-number = السؤال{ "\u00A0" }{ $number }
xref-number-page = السؤال{ "\u00A0" }{ $number }، ص{ "\u00A0" }{ $page }
deck-version = { $title }، الإصدار { $version }
