# हिन्दी
contents = विषय-सूची
unanswered = अभी उत्तर नहीं दिया गया।
level-junior = आरंभिक
level-mid = मध्यम
level-senior = वरिष्ठ
part-number = भाग { $number }
count-questions = { $count } प्रश्न
version = संस्करण { $version }
part-heading = भाग { $number }. { $title }
toc-count = ({ $count } प्रश्न)
cheatsheet-title = सारांश पत्रक
cheatsheet-meta = सारांश पत्रक · { $count } प्रश्न · संस्करण { $version }
quiz-title = प्रश्नोत्तरी
quiz-instructions = प्रश्नोत्तरी · { $count } प्रश्न। अंत में दी गई उत्तर-कुंजी देखने से पहले हर प्रश्न का उत्तर बोलकर या काग़ज़ पर दें।
answer-key = उत्तर-कुंजी
book-counts =
    { $sections ->
        [one] { $sections } खंड
       *[other] { $sections } खंडों
    } में { $questions } प्रश्न।
book-counts-unanswered =
    { $sections ->
        [one] { $sections } खंड
       *[other] { $sections } खंडों
    } में { $questions } प्रश्न ({ $unanswered } का उत्तर अभी बाकी है)।
edition = संस्करण { $version } · अद्यतन { $date }
accessibility-summary = प्रश्न और उत्तर पुनः प्रवाहित होने वाले पाठ के रूप में: हर भाग, खंड और प्रश्न एक शीर्षक है जिस तक विषय-सूची से पहुँचा जा सकता है। कोड ब्लॉक पाठ हैं; उनकी हाइलाइटिंग रंग के साथ-साथ मोटाई और तिरछे अक्षरों का उपयोग करती है और कभी पृष्ठभूमि तय नहीं करती, इसलिए रीडर की थीम (रात, सीपिया) और पाठ का आकार बदलना लागू होते हैं।
whats-new = संस्करण { $version } में नया क्या है
whats-new-first = पहला संस्करण
whats-new-added = जोड़े गए
whats-new-changed = बदले गए
whats-new-removed = हटाए गए
whats-new-none = कोई प्रश्न नहीं बदला।
whats-new-first-count = { whats-new-first }: { $questions }।
whats-new-line = { $label }: { $text }
whats-new-more = { $label }: { $count } और।
whats-new-counts = जोड़े गए: { $added }, बदले गए: { $changed }, हटाए गए: { $removed }
retired-front = संस्करण { $version } में हटाया गया: { $question }
retired-back = यह प्रश्न संस्करण { $version } में बैंक से हटा दिया गया। इस नोट को मिटा दें या संदर्भ के लिए रखें: ब्राउज़र में { $search } खोजने पर सभी हटाए गए प्रश्न मिल जाते हैं।
xref-number = प्रश्न{ "\u00A0" }{ $number }
xref-number-page = प्रश्न{ "\u00A0" }{ $number }, पृ.{ "\u00A0" }{ $page }
deck-version = { $title }, संस्करण { $version }
