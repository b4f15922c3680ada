from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    COMPLETED = "completed", _("Completed")


class EnrollmentQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def completed(self):
        return self.filter(status=EnrollmentStatus.COMPLETED)

    def active(self):
        return self.filter(status=EnrollmentStatus.ACTIVE)


class Enrollment(models.Model):
    """A learner taking a course. One per (user, course)."""

    # A learner's record, not content: kept out of Wagtail's reference index (no queries on save).
    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="enrollments"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ACTIVE,
        db_index=True,
    )
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True, db_index=True)
    last_activity_at = models.DateTimeField(_("last activity"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True, db_index=True)
    cycle = models.PositiveSmallIntegerField(
        _("cycle"),
        default=1,
        help_text=_("Renewing a course (retaking it for a new certificate) starts a new cycle."),
    )
    modules_completed = models.PositiveIntegerField(_("modules completed"), default=0)
    # Kept by submit_quiz for the reports: the current cycle's post-test attempts and best score.
    post_test_attempts = models.PositiveSmallIntegerField(_("post-test attempts"), default=0)
    post_test_best_score = models.DecimalField(
        _("best post-test score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    minutes_completed = models.PositiveIntegerField(_("minutes completed"), default=0)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrollment")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="one_enrollment_per_course"),
        ]
        indexes = [models.Index(fields=["course", "status"])]

    def __str__(self):
        return f"{self.user} in {self.course_id}"

    @property
    def is_completed(self) -> bool:
        return self.status == EnrollmentStatus.COMPLETED


class ModuleProgress(models.Model):
    """A module the learner has completed (content read, or quiz passed)."""

    # A learner's record, not content: kept out of Wagtail's reference index (no queries on save).
    wagtail_reference_index_ignore = True

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="progress")
    module = models.ForeignKey("courses.ModulePage", on_delete=models.CASCADE, related_name="+")
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=1)
    completed_at = models.DateTimeField(_("completed"), auto_now_add=True)

    class Meta:
        verbose_name = _("module progress")
        verbose_name_plural = _("module progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "cycle", "module"], name="one_progress_per_module"
            ),
        ]

    def __str__(self):
        return f"{self.enrollment_id}: module {self.module_id}"


class QuizAttempt(models.Model):
    """One submitted attempt at a quiz, graded on the server."""

    # A learner's record, not content: kept out of Wagtail's reference index (no queries on save).
    wagtail_reference_index_ignore = True

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attempts")
    module = models.ForeignKey("courses.ModulePage", on_delete=models.CASCADE, related_name="+")
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=1)
    number = models.PositiveSmallIntegerField(_("attempt"))
    # The exact questions graded, in the order shown, each option with its index in the
    # question block and whether it was correct: [{"id", "prompt", "explanation",
    # "options": [{"index", "text", "correct"}]}]. Grading and the review read only this.
    questions = models.JSONField(_("questions graded"), default=list, blank=True)
    # {question id: [option indices in the block]}
    answers = models.JSONField(_("answers"), default=dict)
    correct_count = models.PositiveSmallIntegerField(default=0)
    question_count = models.PositiveSmallIntegerField(default=0)
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2)
    passed = models.BooleanField(_("passed"))
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("quiz attempt")
        ordering = ["number"]
        constraints = [
            # A replayed or concurrent submission of the same attempt number fails here.
            models.UniqueConstraint(
                fields=["enrollment", "cycle", "module", "number"], name="one_attempt_per_number"
            ),
        ]

    def __str__(self):
        return f"Attempt {self.number} ({self.score}%)"


class QuizDraw(models.Model):
    """The questions an attempt shows, stored when the attempt starts (the quiz page is shown).

    Only quizzes that draw from a pool or shuffle options have draws. ``submit_quiz`` grades
    the attempt of that number against its draw, so a crafted form cannot choose questions.
    """

    # A learner's record, not content: kept out of Wagtail's reference index (no queries on save).
    wagtail_reference_index_ignore = True

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="draws")
    module = models.ForeignKey("courses.ModulePage", on_delete=models.CASCADE, related_name="+")
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=1)
    number = models.PositiveSmallIntegerField(_("attempt"))
    questions = models.JSONField(_("questions drawn"), default=list)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)

    class Meta:
        verbose_name = _("quiz draw")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "cycle", "module", "number"], name="one_draw_per_attempt"
            ),
        ]

    def __str__(self):
        return f"Draw for attempt {self.number} of enrollment {self.enrollment_id}"


class Regrade(models.Model):
    """One regrade of one question of a quiz, applied by an administrator."""

    # A learner's record, not content: kept out of Wagtail's reference index (no queries on save).
    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    module = models.ForeignKey(
        "courses.ModulePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("quiz")
    )
    question_id = models.CharField(_("question id"), max_length=64)
    question_prompt = models.TextField(_("question"))
    correct_options = models.JSONField(_("correct options (indices)"), default=list)
    attempts_considered = models.PositiveIntegerField(_("attempts with the question"))
    attempts_changed = models.PositiveIntegerField(_("attempts whose score changed"))
    passed_before = models.PositiveIntegerField(_("attempts passed before"))
    passed_after = models.PositiveIntegerField(_("attempts passed after"))
    learners_now_passing = models.PositiveIntegerField(_("learners now passing"))
    learners_now_failing = models.PositiveIntegerField(_("learners now failing"))

    class Meta:
        verbose_name = _("regrade")
        ordering = ["-created_at", "-pk"]
        permissions = [("regrade_quiz", _("Can regrade a quiz question"))]

    def __str__(self):
        return f"Regrade of {self.question_id} in module {self.module_id}"


class Rating(models.IntegerChoices):
    POOR = 1, _("1 - Poor")
    FAIR = 2, _("2 - Fair")
    GOOD = 3, _("3 - Good")
    VERY_GOOD = 4, _("4 - Very good")
    EXCELLENT = 5, _("5 - Excellent")


class CourseEvaluation(models.Model):
    """The learner's evaluation of the activity, as CE accreditors ask."""

    # A learner's record, not content: kept out of Wagtail's reference index (no queries on save).
    wagtail_reference_index_ignore = True

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="evaluations")
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=1)
    overall = models.PositiveSmallIntegerField(
        _("overall quality"),
        choices=Rating.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    relevance = models.PositiveSmallIntegerField(
        _("relevance to my practice"),
        choices=Rating.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    objectives_met = models.BooleanField(_("the stated learning objectives were met"))
    free_of_bias = models.BooleanField(_("the content was free of commercial bias"))
    would_recommend = models.BooleanField(_("I would recommend this activity to a colleague"))
    practice_change = models.TextField(
        _("what will you change in your practice?"), blank=True, max_length=2000
    )
    comments = models.TextField(_("comments"), blank=True, max_length=4000)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("course evaluation")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "cycle"], name="one_evaluation_per_cycle"
            ),
        ]

    def __str__(self):
        return f"Evaluation of enrollment {self.enrollment_id}"
