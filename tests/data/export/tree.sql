SELECT
  "id",
  CASE
    WHEN "education-num" <= 14.5 AND "capital-gain" <= 5095.5 THEN 0.1778975741239892
    WHEN "education-num" <= 14.5 AND ("capital-gain" > 5095.5 OR "capital-gain" IS NULL) THEN 0.9473684210526315
    WHEN ("education-num" > 14.5 OR "education-num" IS NULL) THEN 1.0
  END AS "proba_>50K"
FROM "adult";
